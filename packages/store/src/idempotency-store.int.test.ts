import { connectRedis, type RedisClient } from '@mailq/queues';
import { useRedisServer } from '@mailq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore, STALE_CLAIM_MS } from './idempotency-store';
import { StoreKeys } from './keys';

let redis: RedisClient;
let store: IdempotencyStore;

const redisServer = useRedisServer((url) => connectRedis({ kind: 'single', url }, 'producer'));

beforeAll(() => {
  redis = redisServer.client;
  store = new IdempotencyStore(redis, new StoreKeys('idem-test'), 86_400);
});

describe('IdempotencyStore', () => {
  const T0 = Date.parse('2026-11-26T12:00:00Z');
  const keyOf = async (tenant: string, key: string) =>
    'idem-test:{tenant:' + tenant + '}:idem:' + (await import('./hashing')).sha256Hex(key);

  it('claims once, reports in-progress until completed, then replays for 24 h', async () => {
    expect(await store.claim('t1', 'k', 'fp', 'attempt-1', T0)).toEqual({ status: 'claimed' });
    expect(await store.claim('t1', 'k', 'fp', 'attempt-2', T0 + 1_000)).toEqual({ status: 'in_progress' });
    await store.complete('t1', 'k', 'fp', 'id-1');
    expect(await store.claim('t1', 'k', 'fp', 'attempt-3', T0 + 2_000)).toEqual({
      status: 'replay',
      value: 'id-1',
    });
    expect(await redis.ttl(await keyOf('t1', 'k'))).toBeGreaterThan(86_000);
  });

  it('calls a different body a conflict, and scopes keys per tenant', async () => {
    await store.claim('t1', 'k2', 'fp-a', 'attempt-a', T0);
    expect(await store.claim('t1', 'k2', 'fp-b', 'attempt-b', T0)).toEqual({ status: 'conflict' });
    expect(await store.claim('t2', 'k2', 'fp-b', 'attempt-b', T0)).toEqual({ status: 'claimed' });
  });

  it('frees the key when released after a request refused before storing', async () => {
    await store.claim('t1', 'k3', 'fp', 'attempt-x', T0);
    await store.release('t1', 'k3');
    expect(await store.claim('t1', 'k3', 'fp', 'attempt-y', T0)).toEqual({ status: 'claimed' });
  });

  it('resumes a failed claim at once with its first attempt, for one retry at a time', async () => {
    await store.claim('t1', 'k4', 'fp', 'attempt-first', T0);
    await store.fail('t1', 'k4');
    expect(await store.claim('t1', 'k4', 'fp', 'attempt-retry', T0 + 500)).toEqual({
      status: 'resume',
      attempt: 'attempt-first',
    });
    // The resumed claim is pending again: a concurrent retry waits, and a different body is still refused.
    expect(await store.claim('t1', 'k4', 'fp', 'attempt-other', T0 + 600)).toEqual({ status: 'in_progress' });
    expect(await store.claim('t1', 'k4', 'fp-b', 'attempt-other', T0 + 600)).toEqual({ status: 'conflict' });
    await store.complete('t1', 'k4', 'fp', 'id-first');
    await store.fail('t1', 'k4'); // too late: a completed claim stays completed
    expect(await store.claim('t1', 'k4', 'fp', 'attempt-later', T0 + 700)).toEqual({
      status: 'replay',
      value: 'id-first',
    });
  });

  it('resumes a claim left pending by a relay that died, once it is stale', async () => {
    await store.claim('t1', 'k5', 'fp', 'attempt-first', T0);
    expect(await store.claim('t1', 'k5', 'fp', 'attempt-2', T0 + STALE_CLAIM_MS - 1)).toEqual({
      status: 'in_progress',
    });
    expect(await store.claim('t1', 'k5', 'fp', 'attempt-3', T0 + STALE_CLAIM_MS)).toEqual({
      status: 'resume',
      attempt: 'attempt-first',
    });
    expect(await redis.ttl(await keyOf('t1', 'k5'))).toBeGreaterThan(86_000);
  });

  it('resumes a pending claim written before attempts were kept, with no attempt to reuse', async () => {
    const key = await keyOf('t1', 'k6');
    await redis.set(key, JSON.stringify({ fingerprint: 'fp', value: '', done: false }), 'EX', 60);
    expect(await store.claim('t1', 'k6', 'fp', 'attempt-new', T0)).toEqual({ status: 'resume', attempt: '' });
  });
});
