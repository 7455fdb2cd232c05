import type { RedisTarget } from '@mailq/queues';
import type { Hono } from 'hono';
import type { AdminCredentials } from '../admin/admin-routes';
import { adminApp } from '../admin/mount-admin';
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
  /** Extra routes (metrics). */
  extend?: (app: Hono) => void;
  /** ADMIN_USER / ADMIN_PASSWORD: mounts the admin API and Bull Board at /admin. */
  admin?: AdminCredentials;
}

export interface RelayService {
  server: HttpServer;
  backend: RedisBackend;
  close(): Promise<void>;
}

/** `mailq relay`: the relay's internal API on its own port, for ingest running at the edge. */
export async function startRelayService(options: RelayServiceOptions): Promise<RelayService> {
  const relay = await openRelay({ ...options, connectionName: 'mailq-relay' });
  let closeAdmin = async () => {};
  const app = createRelayApp({
    backend: relay.backend,
    secret: options.secret,
    claimNonce: (nonce, ttlSeconds) => relay.backend.stores.seen.claim('relay-nonce', nonce, ttlSeconds),
    logger: options.logger,
    extend: (routes) => {
      options.extend?.(routes);
      const admin = adminApp(relay, {
        credentials: options.admin,
        namespace: options.namespace,
        partitions: options.relay?.partitions,
      });
      if (admin) routes.route('/admin', admin.routes);
      closeAdmin = admin?.close ?? closeAdmin;
    },
  });
  const server = await listen(app, options.port, options.host);
  return {
    server,
    backend: relay.backend,
    async close() {
      await server.close();
      await closeAdmin();
      await relay.close();
    },
  };
}
