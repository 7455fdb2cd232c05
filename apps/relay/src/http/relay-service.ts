import type { RedisTarget } from '@mailq/queues';
import type { Hono } from 'hono';
import type { AdminCredentials } from '../admin/admin-routes';
import { openRelay, type OpenRelayOptions } from '../open-relay';
import { createRelayApp, type RelayLogger } from './relay-app';
import { serveRelay, type ServedRelay } from './serve-relay';

export interface RelayServiceOptions {
  redis: RedisTarget;
  port: number;
  host?: string;
  secret: string;
  namespace?: string;
  relay?: OpenRelayOptions['relay'];
  logger: RelayLogger;
  /** Extra routes (metrics). */
  extend?: (app: Hono) => void;
  /** ADMIN_USER / ADMIN_PASSWORD: mounts the admin API and Bull Board at /admin. */
  admin?: AdminCredentials;
}

export type RelayService = ServedRelay;

/** `mailq relay`: the relay's internal API on its own port, for ingest running at the edge. */
export async function startRelayService(options: RelayServiceOptions): Promise<RelayService> {
  const relay = await openRelay({ ...options, connectionName: 'mailq-relay' });
  const app = createRelayApp({
    backend: relay.backend,
    secret: options.secret,
    claimNonce: (nonce, ttlSeconds) => relay.backend.stores.seen.claim('relay-nonce', nonce, ttlSeconds),
    logger: options.logger,
    ...(options.extend ? { extend: options.extend } : {}),
  });
  return serveRelay(relay, app, options);
}
