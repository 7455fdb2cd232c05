import { startRedisServer, type RedisServerHandle } from '@mailq/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEmail, startPlatform, type Platform } from './support/platform';
import { CLUSTER_PASSWORD, useTestPlatform } from './support/test-platform';

async function waitCalls(node: Redis): Promise<number> {
  const info = await node.info('commandstats');
  return Number(/cmdstat_wait:calls=(\d+)/.exec(info)?.[1] ?? 0);
}

describe('DURABILITY=replicated on Redis Cluster', () => {
  const env = useTestPlatform({ cluster: true, relay: { durability: 'replicated', partitions: 3 } });

  it('answers 2xx only after WAIT on the masters that own the message record and its job', async () => {
    const masters = await Promise.all(
      (await env.cluster.masters()).map(async ({ host, port }) => {
        const node = new Redis({ host, port, password: CLUSTER_PASSWORD, lazyConnect: true });
        await node.connect();
        return node;
      }),
    );
    try {
      const before = await Promise.all(masters.map(waitCalls));
      const response = await env.platform.send(sampleEmail({ to: 'durable@example.net' }));
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const after = await Promise.all(masters.map(waitCalls));

      // Which masters hold the record and the job (each key lives on exactly one).
      const owners = await Promise.all(
        masters.map(async (node) => {
          const record = await node.exists(`${env.platform.namespace}:{msg:${id}}`).catch(() => 0);
          const jobs = await node.keys(`{${env.platform.namespace}*}:email:${id}`);
          return record > 0 || jobs.length > 0;
        }),
      );
      expect(owners.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      masters.forEach((_, i) => {
        // Every owning master was asked to WAIT; masters owning nothing of this message were not.
        if (owners[i]) expect(after[i] ?? 0).toBeGreaterThan(before[i] ?? 0);
        else expect(after[i]).toBe(before[i]);
      });
    } finally {
      masters.forEach((node) => node.disconnect());
    }
  });
});

describe('DURABILITY=replicated without a replica', () => {
  let redis: RedisServerHandle;
  let platform: Platform;
  beforeAll(async () => {
    redis = await startRedisServer();
    platform = await startPlatform({
      redis: { kind: 'single', url: redis.url },
      smtpUrl: 'smtp://127.0.0.1:9',
      withWorkers: false,
      relay: { durability: 'replicated', durabilityTimeoutMs: 200 },
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await redis?.destroy();
  });

  it('answers 503 (never 2xx) and withdraws the message', async () => {
    const response = await platform.send(sampleEmail());
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    expect(await platform.redis.keys(`${platform.namespace}:{msg:*`)).toEqual([]);
    expect(await platform.redis.keys(`{${platform.namespace}}:email:*-*`)).toEqual([]);
  });
});

describe('DURABILITY=aof', () => {
  it('refuses to start unless every master fsyncs each write', async () => {
    const redis = await startRedisServer();
    try {
      await expect(
        startPlatform({
          redis: { kind: 'single', url: redis.url },
          smtpUrl: 'smtp://127.0.0.1:9',
          withWorkers: false,
          relay: { durability: 'aof' },
        }),
      ).rejects.toThrow(/DURABILITY=aof needs appendonly yes and appendfsync always/);
      const admin = new Redis(redis.url);
      await admin.config('SET', 'appendfsync', 'always');
      admin.disconnect();
      const platform = await startPlatform({
        redis: { kind: 'single', url: redis.url },
        smtpUrl: 'smtp://127.0.0.1:9',
        withWorkers: false,
        relay: { durability: 'aof' },
      });
      expect((await platform.send(sampleEmail())).status).toBe(202);
      await platform.stop();
    } finally {
      await redis.destroy();
    }
  });
});
