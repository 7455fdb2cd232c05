import { createRedis, waitForReady, type RedisTarget } from '@mailq/queues';
import { RedisBackend, checkDurability, type RedisBackendOptions } from '@mailq/relay';
import type { Logger } from '@mailq/telemetry-node';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { TrackingKeys } from '@mailq/signing';
import type { Hono } from 'hono';
import { createApp } from './app';
import type { AppEnv } from './app-env';
import { listen, type HttpServer } from './node-server';

export interface NodeIngestOptions {
  redis: RedisTarget;
  port: number;
  host?: string;
  logger: Logger;
  publicUrl?: string;
  namespace?: string;
  /** Relay settings (verified-domain policy, DNS port, clock). */
  relay?: Omit<RedisBackendOptions, 'redis' | 'namespace'>;
  /** Keys verifying open/click tracking tokens (TRACKING_KEYS). */
  trackingKeys?: TrackingKeys;
  /** Extra routes mounted before the API (the dev outbox). */
  extend?: (app: Hono<AppEnv>) => void;
}

export interface NodeIngest {
  server: HttpServer;
  backend: RedisBackend;
  close(): Promise<void>;
}

/**
 * The Node ingest: the Hono app with the relay in-process (a `RedisBackend`
 * on a fail-fast producer connection). Waits for Redis before listening, so
 * it never answers while unable to store.
 */
export async function startNodeIngest(options: NodeIngestOptions): Promise<NodeIngest> {
  const redis = createRedis(options.redis, 'producer', 'mailq-ingest');
  redis.on('error', (error: Error) => options.logger.warn({ err: error.message }, 'redis connection error'));
  await waitForReady(redis, 30_000);
  await checkDurability(redis, options.relay?.durability ?? 'async');
  const backend = new RedisBackend({
    redis,
    ...options.relay,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  const app = createApp({
    backend,
    logger: options.logger,
    clientAddress: (c) => getConnInfo(c).remote.address,
    ...(options.trackingKeys ? { trackingKeys: options.trackingKeys } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  options.extend?.(app);
  const server = await listen(app, options.port, options.host);
  return {
    server,
    backend,
    async close() {
      await server.close();
      await backend.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
