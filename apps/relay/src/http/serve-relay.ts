import type { Hono } from 'hono';
import type { AdminCredentials } from '../admin/admin-routes';
import { adminApp } from '../admin/mount-admin';
import type { OpenRelay } from '../open-relay';
import type { RedisBackend } from '../redis-backend';
import { listen, type HttpServer } from './node-server';

/** A Node HTTP service that owns a relay: `mailq serve`/`mailq dev` (the ingest) or `mailq relay`. */
export interface ServedRelay {
  server: HttpServer;
  backend: RedisBackend;
  close(): Promise<void>;
}

export interface ServeRelayOptions {
  port: number;
  host?: string | undefined;
  /** ADMIN_USER / ADMIN_PASSWORD: mounts the admin API and Bull Board at /admin. */
  admin?: AdminCredentials | undefined;
  namespace?: string | undefined;
}

/**
 * Serves `app` for the relay it runs on: mounts /admin when credentials are
 * given, listens, and closes the server, the admin queues and the relay in
 * that order (stop taking requests first, Redis last).
 */
export async function serveRelay(
  relay: OpenRelay,
  app: Pick<Hono, 'fetch'> & { route(path: string, routes: Hono): unknown },
  options: ServeRelayOptions,
): Promise<ServedRelay> {
  const admin = adminApp(relay, {
    credentials: options.admin,
    namespace: options.namespace,
  });
  if (admin) app.route('/admin', admin.routes);
  const server = await listen(app, options.port, options.host);
  return {
    server,
    backend: relay.backend,
    async close() {
      await server.close();
      await admin?.close();
      await relay.close();
    },
  };
}
