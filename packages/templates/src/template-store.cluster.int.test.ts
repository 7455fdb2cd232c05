import { Cluster } from 'ioredis';
import { createRedis, waitForReady, type RedisClient } from '@mailq/queues';
import { startRedisCluster, type RedisClusterHandle } from '@mailq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TemplateStore } from './template-store';

let cluster: RedisClusterHandle;
let redis: RedisClient;

beforeAll(async () => {
  cluster = await startRedisCluster({ password: 'templates-pass' });
  redis = createRedis({ kind: 'cluster', nodes: cluster.nodes, password: 'templates-pass' }, 'producer');
  await waitForReady(redis);
});

afterAll(async () => {
  redis?.disconnect();
  await cluster?.destroy();
});

describe('TemplateStore on Redis Cluster', () => {
  it('runs every operation without a CROSSSLOT error, for tenants spread over the shards', async () => {
    const store = new TemplateStore(redis, 'tpl-cluster');
    const tenants = Array.from({ length: 6 }, (_, i) => `tenant-${i}`);
    for (const tenant of tenants) {
      const created = await store.create(tenant, { name: 'welcome', subject: 'Hi {{name}}', text: 'Hi' });
      await store.create(tenant, { name: 'receipt', subject: 'Receipt', html: '<p>{{total}}</p>' });
      expect(await store.get(tenant, 'welcome')).toEqual(created);
      expect(await store.get(tenant, created.id)).toEqual(created);
      const renamed = await store.update(tenant, 'welcome', { name: 'welcome-v2', text: 'Hello' });
      expect(await store.get(tenant, 'welcome-v2')).toEqual(renamed);
      const first = await store.list(tenant, { limit: 1 });
      expect(first.data.map((t) => t.name)).toEqual(['receipt']);
      const second = await store.list(tenant, { limit: 1, cursor: first.next_cursor ?? '' });
      expect(second).toEqual({ data: [renamed], next_cursor: null });
    }
    // The tenants' keys really sit on more than one master, so the scripts
    // above were routed to different shards, each with both of its keys.
    if (!(redis instanceof Cluster)) throw new Error('expected a Cluster client');
    const sizes = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
    expect(sizes.filter((size) => size > 0).length).toBeGreaterThan(1);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(tenants.length * 2);

    for (const tenant of tenants) {
      expect(await store.delete(tenant, 'welcome-v2')).toBe(true);
      expect(await store.delete(tenant, 'receipt')).toBe(true);
    }
    expect(await Promise.all(redis.nodes('master').map((node) => node.dbsize()))).toEqual([0, 0, 0]);
  });
});
