import type { EventType, WebhookEndpoint } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import type { StoreKeys } from '../keys';

/** A signing secret; an old one keeps verifying until `expires_at` after a rotation. */
export interface EndpointSecret {
  secret: string;
  expires_at?: string;
}

/** An endpoint as stored: the public fields plus its secrets. */
export interface StoredEndpoint extends Omit<WebhookEndpoint, 'secret'> {
  tenant_id: string;
  secrets: EndpointSecret[];
}

/** Webhook endpoints per tenant: one hash, id → JSON, on the tenant's hash tag. */
export class EndpointStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async save(endpoint: StoredEndpoint): Promise<void> {
    await this.redis.hset(
      this.keys.webhookEndpoints(endpoint.tenant_id),
      endpoint.id,
      JSON.stringify(endpoint),
    );
  }

  async get(tenantId: string, id: string): Promise<StoredEndpoint | null> {
    const json = await this.redis.hget(this.keys.webhookEndpoints(tenantId), id);
    return json ? (JSON.parse(json) as StoredEndpoint) : null;
  }

  async list(tenantId: string): Promise<StoredEndpoint[]> {
    const all = await this.redis.hgetall(this.keys.webhookEndpoints(tenantId));
    return Object.values(all)
      .map((json) => JSON.parse(json) as StoredEndpoint)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const removed = await this.redis.hdel(this.keys.webhookEndpoints(tenantId), id);
    await this.redis.del(this.keys.webhookDeliveries(tenantId, id));
    return removed > 0;
  }

  /** Enabled endpoints that want events of `type`. */
  async subscribers(tenantId: string, type: EventType): Promise<StoredEndpoint[]> {
    return (await this.list(tenantId)).filter((e) => e.enabled && e.event_types.includes(type));
  }
}

/** The secrets that still verify at `now`: the current one and any in their grace period. */
export function activeSecrets(endpoint: StoredEndpoint, now: Date): string[] {
  return endpoint.secrets
    .filter((s) => s.expires_at === undefined || Date.parse(s.expires_at) > now.getTime())
    .map((s) => s.secret);
}
