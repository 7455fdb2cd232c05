import type { EventType } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import type { StoreKeys } from './keys';

/**
 * Event counters per tenant, bucketed by UTC hour (`2026-11-26T09`) and day
 * (`2026-11-26`), so analytics answers from aggregates, never by scanning
 * messages. One hash per tenant: fields `<bucket>|<event type>`.
 */
export class AnalyticsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async increment(tenantId: string, event: EventType, at: Date): Promise<void> {
    const hour = at.toISOString().slice(0, 13);
    const day = hour.slice(0, 10);
    await this.redis
      .multi()
      .hincrby(this.keys.stats(tenantId), `${hour}|${event}`, 1)
      .hincrby(this.keys.stats(tenantId), `${day}|${event}`, 1)
      .exec();
  }

  /** Counts of one bucket (an hour or a day prefix), by event type. */
  async counts(tenantId: string, bucket: string): Promise<Record<string, number>> {
    const fields = await this.redis.hgetall(this.keys.stats(tenantId));
    const counts: Record<string, number> = {};
    for (const [field, value] of Object.entries(fields)) {
      const [fieldBucket, event] = field.split('|');
      if (fieldBucket === bucket && event) counts[event] = Number(value);
    }
    return counts;
  }
}
