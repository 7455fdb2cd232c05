import type { RedisTarget } from '@mailq/queues';
import { startRedisCluster, startRedisServer } from '@mailq/testing';
import { Cluster, Redis } from 'ioredis';

/** A fresh Redis (one server or a cluster) for one subject of one scenario. */
export interface BenchRedis {
  target: RedisTarget;
  /** `redis://…` of a single server (empty on a cluster). */
  url: string;
  /** The bench's own connection: observation, FLUSHALL and seeding only. */
  admin: Redis | Cluster;
  /** One connection per master, for per-node INFO. */
  masters(): Redis[];
  /** Empties the data set and zeroes INFO commandstats on every master. */
  reset(): Promise<void>;
  /** Zeroes INFO commandstats only. */
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server with the settings the product's `mailq dev` and the test
 * harness use: AOF on, fsync every second, no RDB snapshots, noeviction.
 * Every subject of a scenario gets one of its own, started the same way.
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  const server = await startRedisServer({ appendonly: true });
  const admin = new Redis(server.url, { maxRetriesPerRequest: 3 });
  admin.on('error', () => undefined);
  const resetStats = async () => {
    await admin.config('RESETSTAT');
  };
  return {
    target: { kind: 'single', url: server.url },
    url: server.url,
    admin,
    masters: () => [admin],
    async reset() {
      await admin.flushall();
      await resetStats();
    },
    resetStats,
    async close() {
      admin.disconnect();
      await server.destroy();
    },
  };
}

export const CLUSTER_PASSWORD = 'bench-cluster';

/** The harness's six-node cluster (3 masters + 3 replicas, AOF on), as the cluster tests use. */
export async function startBenchCluster(): Promise<BenchRedis> {
  const cluster = await startRedisCluster({ password: CLUSTER_PASSWORD });
  const admin = new Cluster(cluster.nodes, { redisOptions: { password: CLUSTER_PASSWORD } });
  admin.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    admin.once('ready', resolve);
    admin.once('error', reject);
  });
  const masters = () => admin.nodes('master');
  const resetStats = async () => {
    await Promise.all(masters().map((node) => node.config('RESETSTAT')));
  };
  return {
    target: { kind: 'cluster', nodes: cluster.nodes, password: CLUSTER_PASSWORD },
    url: '',
    admin,
    masters,
    async reset() {
      await Promise.all(masters().map((node) => node.flushall()));
      await resetStats();
    },
    resetStats,
    async close() {
      admin.disconnect();
      await cluster.destroy();
    },
  };
}
