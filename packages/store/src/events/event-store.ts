import type { WebhookDelivery, WebhookEvent } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import { dueEvery } from '../due-every';
import type { StoreKeys } from '../keys';
import { ADD_EVENTS } from '../record-scripts';

/** Events are kept this long for replay. */
const EVENT_RETENTION_MS = 30 * 86_400_000;
/**
 * Each process trims a tenant's expired events at most this often, not on
 * every write: retention is 30 days, so a minute late costs nothing, and the
 * hot path saves a read per event.
 */
const TRIM_EVERY_MS = 60_000;
/** Deliveries kept in each endpoint's log. */
const DELIVERY_LOG_LENGTH = 200;

/**
 * A tenant's events (for `POST /v1/webhooks/:id/replay`): a time index and a
 * hash of the events, both on the `{events:<tenant>}` tag so a write is one
 * script call (ADD_EVENTS); and each endpoint's delivery log.
 */
export class EventStore {
  private readonly trimDue = dueEvery(TRIM_EVERY_MS);

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  /** Stores events of one tenant for replay, in one script call. */
  async add(tenantId: string, ...events: WebhookEvent[]): Promise<void> {
    if (events.length === 0) return;
    const at = Date.parse(events[0]?.created_at ?? '');
    await ADD_EVENTS.run(
      this.redis,
      [this.keys.eventIndex(tenantId), this.keys.events(tenantId)],
      events.flatMap((event) => [Date.parse(event.created_at), event.id, JSON.stringify(event)]),
    );
    if (this.trimDue(tenantId, at)) {
      await this.trim(tenantId, at - EVENT_RETENTION_MS);
    }
  }

  /** Drops the tenant's events older than `before` (ms). */
  private async trim(tenantId: string, before: number): Promise<void> {
    const stale = await this.redis.zrangebyscore(this.keys.eventIndex(tenantId), '-inf', before);
    if (stale.length === 0) return;
    await this.redis
      .multi()
      .zrem(this.keys.eventIndex(tenantId), ...stale)
      .hdel(this.keys.events(tenantId), ...stale)
      .exec();
  }

  async get(tenantId: string, id: string): Promise<WebhookEvent | null> {
    const json = await this.redis.hget(this.keys.events(tenantId), id);
    return json ? (JSON.parse(json) as WebhookEvent) : null;
  }

  /** Events in [from, to), oldest first, at most `limit`. */
  async between(tenantId: string, from: Date, to: Date, limit = 10_000): Promise<WebhookEvent[]> {
    const ids = await this.redis.zrangebyscore(
      this.keys.eventIndex(tenantId),
      from.getTime(),
      `(${to.getTime()}`,
      'LIMIT',
      0,
      limit,
    );
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(this.keys.events(tenantId), ...ids);
    return values.filter((v): v is string => v !== null).map((json) => JSON.parse(json) as WebhookEvent);
  }

  async logDelivery(tenantId: string, endpointId: string, delivery: WebhookDelivery): Promise<void> {
    const key = this.keys.webhookDeliveries(tenantId, endpointId);
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(delivery))
      .ltrim(key, 0, DELIVERY_LOG_LENGTH - 1)
      .exec();
  }

  async deliveries(tenantId: string, endpointId: string, limit = 50): Promise<WebhookDelivery[]> {
    const entries = await this.redis.lrange(this.keys.webhookDeliveries(tenantId, endpointId), 0, limit - 1);
    return entries.map((json) => JSON.parse(json) as WebhookDelivery);
  }
}
