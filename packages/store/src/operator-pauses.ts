import type { RedisClient } from '@mailq/queues';
import { DestinationKeys } from './destination-limits/destination-keys';
import { normalizeDomain } from './destination-limits/destination-policy';
import type { StoreKeys } from './keys';

export interface PausedSet {
  tenants: string[];
  domains: string[];
}

/**
 * Holds set by operators: a tenant's mail, or all mail to a destination
 * domain, waits (shown as `deferred` with the reason) until resumed. The
 * destination flag sits in the limiter's slot, so the limiter checks it in
 * the same script; the tenant flag is read by workers through a short cache.
 * Each key is written on its own (they live in different slots); the index
 * only serves listing.
 */
export class OperatorPauses {
  private readonly destinations: DestinationKeys;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {
    this.destinations = new DestinationKeys(keys.namespace);
  }

  async pauseTenant(tenantId: string): Promise<void> {
    await this.redis.set(this.keys.tenantPaused(tenantId), new Date().toISOString());
    await this.redis.sadd(this.keys.pausedIndex(), `tenant:${tenantId}`);
  }

  async resumeTenant(tenantId: string): Promise<boolean> {
    const removed = await this.redis.del(this.keys.tenantPaused(tenantId));
    await this.redis.srem(this.keys.pausedIndex(), `tenant:${tenantId}`);
    return removed > 0;
  }

  async isTenantPaused(tenantId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.tenantPaused(tenantId))) === 1;
  }

  async pauseDestination(domain: string): Promise<string> {
    const key = normalizeDomain(domain);
    await this.redis.set(this.destinations.paused(key), new Date().toISOString());
    await this.redis.sadd(this.keys.pausedIndex(), `domain:${key}`);
    return key;
  }

  async resumeDestination(domain: string): Promise<boolean> {
    const key = normalizeDomain(domain);
    const removed = await this.redis.del(this.destinations.paused(key));
    await this.redis.srem(this.keys.pausedIndex(), `domain:${key}`);
    return removed > 0;
  }

  async list(): Promise<PausedSet> {
    const entries = (await this.redis.smembers(this.keys.pausedIndex())).sort();
    const of = (prefix: string) =>
      entries.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
    return { tenants: of('tenant:'), domains: of('domain:') };
  }
}
