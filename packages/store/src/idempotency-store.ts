import type { RedisClient } from '@mailq/queues';
import { sha256Hex } from './hashing';
import type { StoreKeys } from './keys';

export type IdempotencyClaim =
  | { status: 'claimed' }
  | { status: 'replay'; value: string }
  | { status: 'in_progress' }
  | { status: 'conflict' };

interface IdempotencyRecord {
  fingerprint: string;
  value: string;
  done: boolean;
}

/**
 * How long a claim whose request has not finished storing blocks its key. If
 * the process died mid-request, the key is free again after this, not a day.
 */
const PENDING_TTL_SECONDS = 60;

/**
 * Idempotency keys per tenant (24 h). The first request claims the key with
 * SET NX (pending, short TTL) holding the fingerprint of its body and its
 * result; once its messages are stored the claim is completed and kept 24 h.
 * A repeat with the same fingerprint replays the result — only once complete,
 * so a 2xx is never given for messages not yet stored — and a different body
 * is a conflict.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly ttlSeconds: number,
  ) {}

  async claim(tenantId: string, key: string, fingerprint: string, value: string): Promise<IdempotencyClaim> {
    const redisKey = this.keys.idempotency(tenantId, sha256Hex(key));
    const pending: IdempotencyRecord = { fingerprint, value, done: false };
    const set = await this.redis.set(redisKey, JSON.stringify(pending), 'EX', PENDING_TTL_SECONDS, 'NX');
    if (set === 'OK') return { status: 'claimed' };
    const existing = await this.redis.get(redisKey);
    if (existing === null) return this.claim(tenantId, key, fingerprint, value); // expired in between
    const record = JSON.parse(existing) as IdempotencyRecord;
    if (record.fingerprint !== fingerprint) return { status: 'conflict' };
    return record.done ? { status: 'replay', value: record.value } : { status: 'in_progress' };
  }

  /** Completes a claim once its request's messages are stored, keeping it for the full TTL. */
  async complete(tenantId: string, key: string, fingerprint: string, value: string): Promise<void> {
    const done: IdempotencyRecord = { fingerprint, value, done: true };
    const redisKey = this.keys.idempotency(tenantId, sha256Hex(key));
    await this.redis.set(redisKey, JSON.stringify(done), 'EX', this.ttlSeconds);
  }

  /** Gives the key back when the request it guarded could not be stored. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.redis.del(this.keys.idempotency(tenantId, sha256Hex(key)));
  }
}
