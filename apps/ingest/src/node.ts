import type { RedisTarget } from '@mailq/queues';
import {
  openRelay,
  serveRelay,
  type AdminCredentials,
  type RelaySettings,
  type ServedRelay,
} from '@mailq/relay';
import type { Logger } from '@mailq/telemetry-node';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { TrackingKeys } from '@mailq/signing';
import type { Hono } from 'hono';
import { createApp } from './app';
import type { AppEnv } from './app-env';

export interface NodeIngestOptions {
  redis: RedisTarget;
  port: number;
  host?: string;
  logger: Logger;
  publicUrl?: string;
  namespace?: string;
  /** Relay settings (verified-domain policy, DNS port, clock). */
  relay?: RelaySettings;
  /** Keys verifying open/click tracking tokens (TRACKING_KEYS). */
  trackingKeys?: TrackingKeys;
  /** Extra routes mounted before the API (the dev outbox). */
  extend?: (app: Hono<AppEnv>) => void;
  /** ADMIN_USER / ADMIN_PASSWORD: mounts the admin API and Bull Board at /admin. */
  admin?: AdminCredentials;
}

export type NodeIngest = ServedRelay;

/**
 * The Node ingest: the Hono app with the relay in-process. Waits for Redis
 * before listening, so it never answers while unable to store.
 */
export async function startNodeIngest(options: NodeIngestOptions): Promise<NodeIngest> {
  const relay = await openRelay({ ...options, connectionName: 'mailq-ingest' });
  const app = createApp({
    backend: relay.backend,
    logger: options.logger,
    clientAddress: (c) => getConnInfo(c).remote.address,
    ...(options.trackingKeys ? { trackingKeys: options.trackingKeys } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  options.extend?.(app);
  return serveRelay(relay, app, options);
}
