import { startRedisCluster, startRedisServer, type RedisClusterHandle } from '@mailq/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailQueues } from './email-partitions';
import { partitionPrefix, type PartitionLayout } from './partition-layout';
import { createQueue } from './queue-factory';
import { createRedis, waitForReady, type RedisClient } from './redis-connection';
import { layoutKey, resolvePartitionLayout } from './resolve-partition-layout';

const PASSWORD = 'layout-pass';
let cluster: RedisClusterHandle;
let redis: Cluster;
const clients: RedisClient[] = [];

async function connect(): Promise<Cluster> {
  const client = createRedis({ kind: 'cluster', nodes: cluster.nodes, password: PASSWORD }, 'producer');
  clients.push(client);
  await waitForReady(client);
  if (!(client instanceof Cluster)) throw new Error('expected a Cluster client');
  return client;
}

beforeAll(async () => {
  cluster = await startRedisCluster({ password: PASSWORD });
  redis = await connect();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await cluster?.destroy();
});

/** Which master holds keys of each email partition: asked of the masters themselves. */
async function holders(namespace: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const node of redis.nodes('master')) {
    const keys = await node.keys(`{${namespace}*:email:*`);
    const prefixes = [...new Set(keys.map((k) => k.slice(0, k.indexOf('}') + 1)))];
    found.set(`${node.options.host}:${node.options.port}`, prefixes.sort());
  }
  return found;
}

// `resolvePartitionLayout` in a process of its own, as a worker or `mailq queue` would run it.
function resolveInChild(namespace: string, partitions: number): Promise<PartitionLayout> {
  const index = fileURLToPath(new URL('./index.ts', import.meta.url));
  const script = `
    const { createRedis, waitForReady, resolvePartitionLayout } = await import(${JSON.stringify(index)});
    const { nodes, password, namespace, partitions } = JSON.parse(process.env.LAYOUT_TEST);
    const redis = createRedis({ kind: 'cluster', nodes, password }, 'producer');
    await waitForReady(redis);
    process.stdout.write(JSON.stringify(await resolvePartitionLayout(redis, namespace, partitions)));
    redis.disconnect();`;
  const env = {
    ...process.env,
    LAYOUT_TEST: JSON.stringify({ nodes: cluster.nodes, password: PASSWORD, namespace, partitions }),
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

describe('resolvePartitionLayout on the six-node cluster', () => {
  it('with QUEUE_PARTITIONS=3 puts the three partitions on three distinct masters', async () => {
    const namespace = `lay-${randomUUID().slice(0, 8)}`;
    const queues = await EmailQueues.open(redis, namespace, 3);
    try {
      expect(queues.layout.prefixes).toHaveLength(3);
      expect(queues.layout.prefixes[0]).toBe(`{${namespace}}`);
      await Promise.all(queues.queues.map((queue, p) => queue.add('email', { p }, { jobId: `job-${p}` })));
      const perMaster = [...(await holders(namespace)).values()];
      expect(perMaster).toHaveLength(3);
      for (const prefixes of perMaster) expect(prefixes).toHaveLength(1);
      expect(perMaster.flat().sort()).toEqual([...queues.layout.prefixes].sort());
    } finally {
      await queues.close();
    }
  });

  it('gives a second process the stored layout, not one of its own choosing', async () => {
    const namespace = `lay-${randomUUID().slice(0, 8)}`;
    const first = await resolvePartitionLayout(redis, namespace, 3);
    expect(await resolveInChild(namespace, 3)).toEqual(first);
    // A layout stored under another slot map (say, before a reshard) is read as it is.
    const other = `lay-${randomUUID().slice(0, 8)}`;
    const stored = [`{${other}}`, `{${other}-p1.7}`, `{${other}-p2.3}`];
    await redis.rpush(layoutKey(other), ...stored);
    expect(await resolveInChild(other, 3)).toEqual({ prefixes: stored, partitions: 3 });
  }, 60_000);

  it('growing to 4 keeps the first three names; a process still at 3 drains all four', async () => {
    const namespace = `lay-${randomUUID().slice(0, 8)}`;
    const three = await resolvePartitionLayout(redis, namespace, 3);
    const four = await resolvePartitionLayout(await connect(), namespace, 4);
    expect(four.prefixes.slice(0, 3)).toEqual(three.prefixes);
    expect(four.prefixes).toHaveLength(4);
    // The fourth goes to a master other than the namespace's own, which also serves the other queues.
    const slotOf = async (prefix: string) => Number(await redis.cluster('KEYSLOT', prefix));
    const home = redis.slots[await slotOf(`{${namespace}}`)]?.[0];
    expect(redis.slots[await slotOf(four.prefixes[3] as string)]?.[0]).not.toBe(home);
    expect(await resolvePartitionLayout(redis, namespace, 3)).toEqual({
      prefixes: four.prefixes,
      partitions: 3,
    });
  });

  it('lets processes starting at once agree on one layout', async () => {
    const namespace = `lay-${randomUUID().slice(0, 8)}`;
    const connections = await Promise.all(Array.from({ length: 4 }, () => connect()));
    const layouts = await Promise.all(
      connections.map((c, i) => resolvePartitionLayout(c, namespace, 3 + (i % 2))),
    );
    const longest = layouts.find((l) => l.prefixes.length === 4)?.prefixes;
    expect(longest).toBeDefined();
    for (const layout of layouts) expect(longest?.slice(0, layout.prefixes.length)).toEqual(layout.prefixes);
    expect(await redis.lrange(layoutKey(namespace), 0, -1)).toEqual(longest);
  });

  it('keeps the old partition names that already hold jobs (a cluster used before layouts were stored)', async () => {
    const namespace = `lay-${randomUUID().slice(0, 8)}`;
    const old = [1, 2].map((p) => createQueue('email', redis, namespace, partitionPrefix(namespace, p)));
    await Promise.all(old.map((queue) => queue.add('email', {}, { jobId: 'queued-before-upgrade' })));
    await Promise.all(old.map((queue) => queue.close()));
    const layout = await resolvePartitionLayout(redis, namespace, 4);
    expect(layout.prefixes.slice(0, 3)).toEqual([0, 1, 2].map((p) => partitionPrefix(namespace, p)));
  });
});

describe('resolvePartitionLayout on a single Redis', () => {
  it("stores today's names", async () => {
    const server = await startRedisServer();
    const single = createRedis({ kind: 'single', url: server.url }, 'producer');
    try {
      await waitForReady(single);
      expect((await resolvePartitionLayout(single, 'solo', 3)).prefixes).toEqual([
        '{solo}',
        '{solo-p1}',
        '{solo-p2}',
      ]);
      expect(await single.lrange(layoutKey('solo'), 0, -1)).toEqual(['{solo}', '{solo-p1}', '{solo-p2}']);
    } finally {
      single.disconnect();
      await server.destroy();
    }
  });
});
