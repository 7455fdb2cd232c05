import { randomUUID } from 'node:crypto';
import { createRedis, waitForReady, type RedisClient } from '@mailq/queues';
import { startRedisCluster, startRedisServer } from '@mailq/testing';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { DestinationLimiter, type AcquireResult } from './destination-limiter';
import type { DestinationPolicy } from './destination-policy';

// What the limiter's integration tests share: the two backends every suite runs on, two
// "worker" connections, and a fresh namespace and hand-driven clock per test.

type RedisTarget = Parameters<typeof createRedis>[0];
interface Backend {
  target: RedisTarget;
  destroy(): Promise<void>;
}

const BACKENDS: Array<[name: string, start: () => Promise<Backend>]> = [
  [
    'redis-server',
    async () => {
      const server = await startRedisServer();
      return { target: { kind: 'single', url: server.url }, destroy: () => server.destroy() };
    },
  ],
  [
    'Redis Cluster',
    async () => {
      const cluster = await startRedisCluster({ password: 'x' });
      return {
        target: { kind: 'cluster', nodes: cluster.nodes, password: 'x' },
        destroy: () => cluster.destroy(),
      };
    },
  ],
];

/** A clock the test moves by hand; starts at a realistic epoch so no score is near 0. */
export function manualClock() {
  let t = 1_700_000_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

export const sameFor = (policy: DestinationPolicy) => () => policy;

export async function flushScripts(redis: RedisClient): Promise<void> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  await Promise.all(nodes.map((node) => node.script('FLUSH')));
}

export function refused(result: AcquireResult): { limit: string; retryAfterMs: number; reason: string } {
  if (result.ok) throw new Error(`expected a refusal, got a lease for ${result.lease.holder}`);
  return result;
}

export interface LimiterBackend {
  /** The first worker's connection (also for inspecting keys). */
  readonly redis: RedisClient;
  /** Two limiters (two "worker processes", two connections) on a fresh namespace and one clock. */
  setup(
    policyFor: (domain: string) => DestinationPolicy,
    leaseTtlMs?: number,
  ): {
    clock: ReturnType<typeof manualClock>;
    namespace: string;
    limiter: DestinationLimiter;
    other: DestinationLimiter;
  };
}

/** Runs `body` once on a single redis-server and once on a six-node cluster. */
export function onEveryBackend(title: string, body: (backend: LimiterBackend) => void): void {
  for (const [name, start] of BACKENDS) {
    describe(`${title} on ${name}`, () => {
      let backend: Backend;
      let redis: RedisClient;
      let otherWorker: RedisClient;

      beforeAll(async () => {
        backend = await start();
        redis = createRedis(backend.target, 'worker', 'limiter-test-1');
        otherWorker = createRedis(backend.target, 'worker', 'limiter-test-2');
        await Promise.all([waitForReady(redis), waitForReady(otherWorker)]);
      });

      afterAll(async () => {
        redis?.disconnect();
        otherWorker?.disconnect();
        await backend?.destroy();
      });

      body({
        get redis() {
          return redis;
        },
        setup(policyFor, leaseTtlMs) {
          const clock = manualClock();
          const namespace = `dl-${randomUUID()}`;
          const options = { namespace, policyFor, now: clock.now, leaseTtlMs };
          const limiter = new DestinationLimiter(redis, options);
          return { clock, namespace, limiter, other: new DestinationLimiter(otherWorker, options) };
        },
      });
    });
  }
}
