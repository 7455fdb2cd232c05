import { EmailQueues, type RedisTarget } from '@mailq/queues';
import {
  startRedisCluster,
  startRedisServer,
  type RedisClusterHandle,
  type RedisServerHandle,
  type RedisServerOptions,
} from '@mailq/testing';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type Platform, type PlatformOptions } from '../../support/platform';
import { CLUSTER_PASSWORD } from '../../support/test-platform';
import { startRedisProxy, type RedisProxy } from './redis-proxy';
import { startSinkProcess, type SinkProcess } from './sink-process';
import { WorkerProcesses } from './worker-processes';

export interface FaultPlatformOptions {
  /** A six-node Redis Cluster instead of one redis-server. */
  cluster?: boolean;
  /** Options of the single redis-server (e.g. appendfsync). */
  redis?: RedisServerOptions;
  /** Put a TCP proxy between Redis and everything else, to cut the network. */
  proxy?: boolean;
  /** QUEUE_PARTITIONS for ingest and workers (default 1). */
  partitions?: number;
  relay?: PlatformOptions['relay'];
  /** Extra `mailq worker` variables. */
  workerEnv?: Record<string, string>;
}

export interface FaultPlatform {
  platform: Platform;
  sink: SinkProcess;
  redis: RedisServerHandle;
  cluster: RedisClusterHandle;
  proxy: RedisProxy;
  target: RedisTarget;
  /** The email queue's partitions, to see when they are idle. */
  queues: Queue[];
  workers: WorkerProcesses;
}

/**
 * The `mailq worker` settings of the fault scenarios. A job held by a killed
 * worker comes back once its lock expires and the stalled check runs
 * (JOB_LOCK_MS is both), so 5 s here rather than the default 30 s. Shorter
 * would be faster but, on a busy 2-core machine, a live worker whose event
 * loop is starved for a couple of seconds would miss its renewal (every
 * JOB_LOCK_MS / 2) and have a job it is still sending taken from it: a
 * duplicate caused by the test's tuning, not by the fault.
 */
const FAULT_WORKER_ENV = {
  JOB_LOCK_MS: '5000',
  EMAIL_CONCURRENCY: '10',
  SMTP_POOL_SIZE: '2',
  SMTP_TIMEOUT_MS: '5000',
  RETRY_BASE_DELAY_MS: '100',
  RETRY_MAX_DELAY_MS: '1000',
  SHUTDOWN_TIMEOUT_MS: '20000',
  DESTINATION_LIMITS: '{"*":{"maxConnections":50,"messagesPerSecond":1000}}',
};

/**
 * Registers hooks that start Redis (or a cluster), an SMTP sink and the ingest
 * (relay in-process) with no workers: each scenario starts `mailq worker`
 * processes through `workers`, and everything is stopped afterwards.
 */
export function useFaultPlatform(options: FaultPlatformOptions = {}): FaultPlatform {
  const env = {} as FaultPlatform;
  const partitions = options.partitions ?? 1;
  const stops: Array<() => Promise<void>> = [];
  const redisEnv = (): Record<string, string> =>
    env.target.kind === 'cluster'
      ? { REDIS_CLUSTER: 'true', REDIS_CLUSTER_NODES: env.cluster.nodesEnv, REDIS_PASSWORD: CLUSTER_PASSWORD }
      : { REDIS_URL: env.target.url };
  env.workers = new WorkerProcesses(() => ({
    ...FAULT_WORKER_ENV,
    ...redisEnv(),
    SMTP_URL: env.sink.url,
    MAILQ_NAMESPACE: env.platform.namespace,
    QUEUE_PARTITIONS: String(partitions),
    ...options.workerEnv,
  }));

  beforeAll(async () => {
    if (options.cluster) {
      env.cluster = await startRedisCluster({ password: CLUSTER_PASSWORD });
      stops.push(() => env.cluster.destroy());
      env.target = { kind: 'cluster', nodes: env.cluster.nodes, password: CLUSTER_PASSWORD };
    } else {
      env.redis = await startRedisServer({ appendonly: true, ...options.redis });
      stops.push(() => env.redis.destroy());
      env.target = { kind: 'single', url: env.redis.url };
      if (options.proxy) {
        env.proxy = await startRedisProxy(env.redis.port);
        stops.push(() => env.proxy.close());
        env.target = { kind: 'single', url: `redis://127.0.0.1:${env.proxy.port}` };
      }
    }
    env.sink = await startSinkProcess();
    stops.push(() => env.sink.close());
    env.platform = await startPlatform({
      redis: env.target,
      smtpUrl: env.sink.url,
      withWorkers: false,
      relay: { ...options.relay, partitions },
    });
    stops.push(() => env.platform.stop());
    const queues = await EmailQueues.open(env.platform.redis, env.platform.namespace, partitions);
    env.queues = queues.queues;
    // Only read to see when they are idle; a Redis fault is the point of the test, not news.
    for (const queue of env.queues) queue.on('error', () => undefined);
    stops.push(() => queues.close());
    stops.push(() => env.workers.stopAll());
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  });
  return env;
}

/** A small single-recipient message, numbered so a report can name it. */
export function loadEmail(scenario: string) {
  return (seq: number) => ({
    from: 'Load <load@example.com>',
    to: `r${seq}@example.net`,
    subject: `${scenario} ${seq}`,
    text: `fault scenario ${scenario}, message ${seq}`,
  });
}
