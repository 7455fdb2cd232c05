import type { RedisClient } from '@mailq/queues';
import { randomToken } from './hashing';
import type { StoreKeys } from './keys';

export interface Tenant {
  id: string;
  name: string;
  createdAt: string;
  /** Defaults for messages that do not say (`tracking` on a send wins). */
  tracking: { opens: boolean; clicks: boolean };
}

/** Tenants: the unit of isolation. Every other record names its tenant. */
export class TenantStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a tenant; `id` may be given (the dev tenant is always `dev`). */
  async create(name: string, id = `tn_${randomToken(12)}`): Promise<Tenant> {
    const tenant: Tenant = {
      id,
      name,
      createdAt: this.now().toISOString(),
      tracking: { opens: false, clicks: false },
    };
    await this.redis.hset(this.keys.tenant(id), { name, createdAt: tenant.createdAt });
    await this.redis.sadd(this.keys.tenantIndex(), id);
    return tenant;
  }

  async get(id: string): Promise<Tenant | null> {
    const fields = await this.redis.hgetall(this.keys.tenant(id));
    if (!fields.name || !fields.createdAt) return null;
    return {
      id,
      name: fields.name,
      createdAt: fields.createdAt,
      tracking: { opens: fields.trackOpens === 'true', clicks: fields.trackClicks === 'true' },
    };
  }

  /** Sets the tenant's tracking defaults. */
  async setTracking(id: string, tracking: Partial<Tenant['tracking']>): Promise<void> {
    const fields: Record<string, string> = {};
    if (tracking.opens !== undefined) fields.trackOpens = String(tracking.opens);
    if (tracking.clicks !== undefined) fields.trackClicks = String(tracking.clicks);
    if (Object.keys(fields).length > 0) await this.redis.hset(this.keys.tenant(id), fields);
  }

  async list(): Promise<Tenant[]> {
    const ids = await this.redis.smembers(this.keys.tenantIndex());
    const tenants = await Promise.all(ids.sort().map((id) => this.get(id)));
    return tenants.filter((t): t is Tenant => t !== null);
  }
}
