import { createRedis, waitForReady, type RedisClient } from '@mailq/queues';
import { startRedisServer, type RedisServerHandle } from '@mailq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from './idempotency-store';
import { StoreKeys } from './keys';

let server: RedisServerHandle;
let redis: RedisClient;
let store: IdempotencyStore;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedis({ kind: 'single', url: server.url }, 'producer');
  await waitForReady(redis);
  store = new IdempotencyStore(redis, new StoreKeys('idem-test'), 86_400);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.destroy();
});

describe('IdempotencyStore', () => {
  it('claims once, reports in-progress until completed, then replays for 24 h', async () => {
    expect(await store.claim('t1', 'k', 'fp', 'id-1')).toEqual({ status: 'claimed' });
    expect(await store.claim('t1', 'k', 'fp', 'id-2')).toEqual({ status: 'in_progress' });
    await store.complete('t1', 'k', 'fp', 'id-1');
    expect(await store.claim('t1', 'k', 'fp', 'id-3')).toEqual({ status: 'replay', value: 'id-1' });
    const ttl = await redis.ttl('idem-test:{tenant:t1}:idem:' + (await import('./hashing')).sha256Hex('k'));
    expect(ttl).toBeGreaterThan(86_000);
  });

  it('calls a different body a conflict, and scopes keys per tenant', async () => {
    await store.claim('t1', 'k2', 'fp-a', 'id-a');
    expect(await store.claim('t1', 'k2', 'fp-b', 'id-b')).toEqual({ status: 'conflict' });
    expect(await store.claim('t2', 'k2', 'fp-b', 'id-b')).toEqual({ status: 'claimed' });
  });

  it('frees the key when released after a failed store', async () => {
    await store.claim('t1', 'k3', 'fp', 'id-x');
    await store.release('t1', 'k3');
    expect(await store.claim('t1', 'k3', 'fp', 'id-y')).toEqual({ status: 'claimed' });
  });
});
