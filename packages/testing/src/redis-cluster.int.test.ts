import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand } from './redis-command';
import { startRedisCluster, waitUntil, type RedisClusterHandle } from './index';

describe('startRedisCluster', () => {
  let cluster: RedisClusterHandle;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ password: 'cluster-pass' });
    client = new Cluster(cluster.nodes, { redisOptions: { password: cluster.password } });
  });
  afterAll(async () => {
    client?.disconnect();
    await cluster?.destroy();
  });

  it('has six nodes, three of them masters', async () => {
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.nodesEnv.split(',')).toEqual(cluster.nodes.map((node) => `127.0.0.1:${node.port}`));
    expect(await cluster.masters()).toHaveLength(3);
  });

  it('serves keys from every slot range through an ioredis Cluster client', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `key-${i}`);
    for (const key of keys) await client.set(key, key.toUpperCase());
    for (const key of keys) expect(await client.get(key)).toBe(key.toUpperCase());
    // The keys really were spread over the shards, not all in one.
    const sizes = await Promise.all(
      (await cluster.masters()).map((node) => redisCommand(node.port, cluster.password, 'DBSIZE')),
    );
    expect(sizes.filter((size) => Number(size) > 0).length).toBe(3);
    expect(sizes.reduce((sum: number, size) => sum + Number(size), 0)).toBe(keys.length);
  });

  it('fails a stopped master over to its replica', async () => {
    const [victim] = await cluster.masters();
    if (!victim) throw new Error('no master');
    await cluster.stopNode(victim.port);
    const masters = await waitUntil(
      async () => {
        const current = await cluster.masters();
        return current.length === 3 && current;
      },
      { timeoutMs: 20_000, intervalMs: 200, message: 'no replica was promoted' },
    );
    expect(masters.map((node) => node.port)).not.toContain(victim.port);
  });
});
