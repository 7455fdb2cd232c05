import {
  freePort,
  startRedisCluster,
  startRedisServer,
  startSmtpSink,
  type RedisClusterHandle,
  type SmtpSink,
} from '@mailq/testing';
import type { RedisTarget } from '@mailq/queues';
import { startRelayService, type RelayService } from '@mailq/relay';
import { createLogger } from '@mailq/telemetry-node';
import { startEdgeIngest } from './edge-ingest';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type Platform, type PlatformOptions } from './platform';

export const CLUSTER_PASSWORD = 'cluster-secret';
export const RELAY_SECRET = 'relay-secret-for-tests-0123456789abcdef';

export interface TestPlatform {
  platform: Platform;
  sink: SmtpSink;
  /** The single redis-server (not set on a cluster). */
  redis: Awaited<ReturnType<typeof startRedisServer>>;
  /** The cluster (only with `cluster: true`). */
  cluster: RedisClusterHandle;
  target: RedisTarget;
  /** The relay service behind the edge ingest (only with `edge: true`). */
  relay: RelayService;
}

/**
 * Registers beforeAll/afterAll hooks that start a real Redis (or a six-node
 * cluster), an SMTP sink and the platform, and stop them all afterwards. The
 * returned object is filled in once beforeAll has run.
 */
export function useTestPlatform(
  options: {
    cluster?: boolean;
    /**
     * Serve the API from the Workers entry in workerd, handing off over signed
     * HTTP to a relay service (`mailq relay`'s code), instead of the Node ingest.
     */
    edge?: boolean;
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
    const { cluster: _cluster, edge: _edge, workerEnv, ...rest } = options;
    // The ingest's port is chosen first, so workers can be told its URL (tracking links).
    const port = await freePort();
    const edgePort = options.edge ? await freePort() : 0;
    const ingestUrl = `http://127.0.0.1:${options.edge ? edgePort : port}`;
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
    if (options.edge) env.relay = await moveToEdge(env.platform, options, edgePort, stops);
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return env;
}

/**
 * Points the platform's API at an edge ingest: a relay service on the same
 * Redis and namespace, and the Workers entry in workerd in front of it.
 */
async function moveToEdge(
  platform: Platform,
  options: Omit<PlatformOptions, 'redis' | 'smtpUrl' | 'workerEnv'>,
  port: number,
  stops: Array<() => Promise<void>>,
): Promise<RelayService> {
  const relay = await startRelayService({
    redis: platform.target,
    port: 0,
    secret: RELAY_SECRET,
    namespace: platform.namespace,
    relay: {
      requireVerifiedDomain: false,
      ...(options.now ? { now: options.now } : {}),
      ...(options.resolver ? { resolver: options.resolver } : {}),
      ...options.relay,
    },
    logger: createLogger('test-relay', { level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  stops.push(() => relay.close());
  const edge = await startEdgeIngest({
    relayUrl: relay.server.url,
    relaySecret: RELAY_SECRET,
    port,
    ...(options.trackingKeys ? { trackingKeys: options.trackingKeys } : {}),
  });
  stops.push(() => edge.stop());
  platform.url = edge.url;
  return relay;
}
