import { connectRedis, type RedisClient } from '@mailq/queues';
import { useRedisServer } from '@mailq/testing';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY_CACHE_MS, ApiKeyStore } from './api-key-store';
import { StoreKeys } from './keys';

let redis: RedisClient;
const keys = new StoreKeys('keys-test');

const redisServer = useRedisServer((url) => connectRedis({ kind: 'single', url }, 'producer'));

beforeAll(() => {
  redis = redisServer.client;
});

describe('ApiKeyStore', () => {
  it('resolves a key from Redis once, then from memory until the cache period ends', async () => {
    const store = new ApiKeyStore(redis, keys);
    const created = await store.create('t1', 'default');
    const hmget = vi.spyOn(redis, 'hmget');
    try {
      expect(await store.resolve(created.key)).toEqual({ keyId: created.keyId, tenantId: 't1' });
      expect(await store.resolve(created.key)).toEqual({ keyId: created.keyId, tenantId: 't1' });
      expect(hmget).toHaveBeenCalledTimes(1);
    } finally {
      hmget.mockRestore();
    }
  });

  it('stops accepting a key deleted from Redis once the cache period is over', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const store = new ApiKeyStore(redis, keys);
      const created = await store.create('t2', 'default');
      expect(await store.resolve(created.key)).not.toBeNull();
      await redis.flushall();
      vi.setSystemTime(Date.now() + API_KEY_CACHE_MS + 1);
      expect(await store.resolve(created.key)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never remembers an unknown key: it works as soon as it is created', async () => {
    const store = new ApiKeyStore(redis, keys);
    const secret = 'mq_later_created_key_0123456789';
    expect(await store.resolve(secret)).toBeNull();
    await store.create('t3', 'default', secret);
    expect(await store.resolve(secret)).toEqual({ keyId: expect.stringMatching(/^key_/), tenantId: 't3' });
    expect(await store.resolve('not-a-key')).toBeNull();
  });
});
