import type { RedisClient } from '@mailq/queues';
import { sha256Hex } from './hashing';
import type { StoreKeys } from './keys';

export type IdempotencyClaim =
  { status: 'claimed' } | { status: 'replay'; value: string } | { status: 'conflict' };

/**
 * Idempotency keys per tenant (24 h). The first request claims the key with
 * SET NX, storing the fingerprint of its body and the result; a repeat with
 * the same fingerprint replays the result, a different body is a conflict.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly ttlSeconds: number,
  ) {}

  async claim(tenantId: string, key: string, fingerprint: string, value: string): Promise<IdempotencyClaim> {
    const redisKey = this.keys.idempotency(tenantId, sha256Hex(key));
    const record = JSON.stringify({ fingerprint, value });
    const set = await this.redis.set(redisKey, record, 'EX', this.ttlSeconds, 'NX');
    if (set === 'OK') return { status: 'claimed' };
    const existing = await this.redis.get(redisKey);
    if (existing === null) return this.claim(tenantId, key, fingerprint, value); // expired in between
    const parsed = JSON.parse(existing) as { fingerprint: string; value: string };
    return parsed.fingerprint === fingerprint
      ? { status: 'replay', value: parsed.value }
      : { status: 'conflict' };
  }

  /** Gives the key back when the request it guarded could not be stored. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.redis.del(this.keys.idempotency(tenantId, sha256Hex(key)));
  }
}
