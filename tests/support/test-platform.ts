import {
  freePort,
  startRedisCluster,
  startRedisServer,
  startSmtpSink,
  type RedisClusterHandle,
  type SmtpSink,
} from '@mailq/testing';
import type { RedisTarget } from '@mailq/queues';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type Platform, type PlatformOptions } from './platform';

export const CLUSTER_PASSWORD = 'cluster-secret';

export interface TestPlatform {
  platform: Platform;
  sink: SmtpSink;
  /** The single redis-server (not set on a cluster). */
  redis: Awaited<ReturnType<typeof startRedisServer>>;
  /** The cluster (only with `cluster: true`). */
  cluster: RedisClusterHandle;
  target: RedisTarget;
}

/**
 * Registers beforeAll/afterAll hooks that start a real Redis (or a six-node
 * cluster), an SMTP sink and the platform, and stop them all afterwards. The
 * returned object is filled in once beforeAll has run.
 */
export function useTestPlatform(
  options: {
    cluster?: boolean;
    /** Worker variables; a function when they depend on the sink (e.g. MX_PORT). */
    workerEnv?: Record<string, string> | ((sink: SmtpSink, ingestUrl: string) => Record<string, string>);
  } & Omit<PlatformOptions, 'redis' | 'smtpUrl' | 'workerEnv'> = {},
): TestPlatform {
  const env = {} as TestPlatform;
  const stops: Array<() => Promise<void>> = [];
  beforeAll(async () => {
    if (options.cluster) {
      env.cluster = await startRedisCluster({ password: CLUSTER_PASSWORD });
      stops.push(() => env.cluster.destroy());
      env.target = { kind: 'cluster', nodes: env.cluster.nodes, password: CLUSTER_PASSWORD };
    } else {
      env.redis = await startRedisServer({ appendonly: true });
      stops.push(() => env.redis.destroy());
      env.target = { kind: 'single', url: env.redis.url };
    }
    env.sink = await startSmtpSink();
    stops.push(() => env.sink.close());
    const { cluster: _cluster, workerEnv, ...rest } = options;
    // The ingest's port is chosen first, so workers can be told its URL (tracking links).
    const port = await freePort();
    const ingestUrl = `http://127.0.0.1:${port}`;
    env.platform = await startPlatform({
      ...rest,
      port,
      ...(workerEnv
        ? { workerEnv: typeof workerEnv === 'function' ? workerEnv(env.sink, ingestUrl) : workerEnv }
        : {}),
      redis: env.target,
      smtpUrl: env.sink.url,
    });
    stops.push(() => env.platform.stop());
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return env;
}
