import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from './index';

const clients: Redis[] = [];
function connect(url: string): Redis {
  // No reconnect loop: a test that stops the server should see a clean failure.
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

describe('startRedisServer', () => {
  let redis: RedisServerHandle;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    clients.forEach((client) => client.disconnect());
    await redis?.destroy();
  });

  it('answers on a loopback port with a matching url', async () => {
    expect(redis.host).toBe('127.0.0.1');
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    const client = connect(redis.url);
    await client.set('greeting', 'hello');
    expect(await client.get('greeting')).toBe('hello');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
  });

  it('keeps AOF data across kill (SIGKILL) + restart on the same port', async () => {
    const client = connect(redis.url);
    await client.config('SET', 'appendfsync', 'always');
    await client.set('survives-crash', '1');
    await redis.kill();
    await redis.kill(); // idempotent
    expect(redis.isRunning()).toBe(false);
    await redis.restart();
    expect(redis.isRunning()).toBe(true);
    expect(await connect(redis.url).get('survives-crash')).toBe('1');
  });

  it('keeps AOF data across graceful stop + restart', async () => {
    await connect(redis.url).set('survives-stop', '2');
    await redis.stop();
    await redis.stop(); // idempotent
    await redis.restart();
    expect(await connect(redis.url).get('survives-stop')).toBe('2');
  });
});

describe('startRedisServer with appendfsync always', () => {
  it('fsyncs every write, also after a restart (a CONFIG SET would not survive it)', async () => {
    const redis = await startRedisServer({ appendfsync: 'always' });
    try {
      expect(await connect(redis.url).config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      await redis.kill();
      await redis.restart();
      expect(await connect(redis.url).config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
    } finally {
      await redis.destroy();
    }
  });
});

describe('startRedisServer with a password', () => {
  it('requires AUTH, puts the password in the url and removes its temp dir on destroy', async () => {
    const redis = await startRedisServer({ password: 's3cret/!', appendonly: false });
    try {
      expect(redis.url).toBe(`redis://:${encodeURIComponent('s3cret/!')}@127.0.0.1:${redis.port}`);
      const anonymous = connect(`redis://127.0.0.1:${redis.port}`);
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
      expect(await connect(redis.url).ping()).toBe('PONG');
    } finally {
      await redis.destroy();
    }
    expect(existsSync(redis.dir)).toBe(false);
  });
});
