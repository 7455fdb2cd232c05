import type { RedisTarget } from '@mailq/queues';
import type { Hono } from 'hono';
import { openRelay, type OpenRelayOptions } from '../open-relay';
import type { RedisBackend } from '../redis-backend';
import { listen, type HttpServer } from './node-server';
import { createRelayApp, type RelayLogger } from './relay-app';

export interface RelayServiceOptions {
  redis: RedisTarget;
  port: number;
  host?: string;
  secret: string;
  namespace?: string;
  relay?: OpenRelayOptions['relay'];
  logger: RelayLogger;
  /** Extra routes (metrics, admin UI). */
  extend?: (app: Hono) => void;
}

export interface RelayService {
  server: HttpServer;
  backend: RedisBackend;
  close(): Promise<void>;
}

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
  const server = await listen(app, options.port, options.host);
  return {
    server,
    backend: relay.backend,
    async close() {
      await server.close();
      await relay.close();
    },
  };
}
