import type { RedisClient } from '@mailq/queues';
import type { StoreKeys } from '../keys';

/**
 * "Have we seen this before?" for provider event ids and one-time tokens
 * (Mailgun): SET NX with a TTL longer than any provider's retry window.
 */
export class SeenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  /** True the first time `id` is claimed in `scope`, false on every repeat within `ttlSeconds`. */
  async claim(scope: string, id: string, ttlSeconds = 30 * 86_400): Promise<boolean> {
    return (await this.redis.set(this.keys.seen(scope, id), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  /** Gives a claim back (the work it guarded failed and will be retried). */
  async release(scope: string, id: string): Promise<void> {
    await this.redis.del(this.keys.seen(scope, id));
  }
}
