import type { Hono } from 'hono';
import type { OpenRelay } from '../open-relay';
import { adminRoutes, type AdminCredentials } from './admin-routes';
import { QueueAdmin } from './queue-admin';

/**
 * The admin API and Bull Board for a Node service that owns a relay
 * (`mailq serve`, `mailq dev`, `mailq relay`), to mount at `/admin`; null
 * without credentials (ADMIN_PASSWORD unset), when the admin API stays off.
 */
export function adminApp(
  relay: OpenRelay,
  options: {
    credentials?: AdminCredentials | undefined;
    namespace?: string | undefined;
  },
): { routes: Hono; close: () => Promise<void> } | null {
  if (!options.credentials) return null;
  const admin = new QueueAdmin(relay.redis, relay.backend.stores, options.namespace, relay.layout);
  return {
    routes: adminRoutes(admin, relay.backend.stores, options.credentials),
    close: () => admin.close(),
  };
}
