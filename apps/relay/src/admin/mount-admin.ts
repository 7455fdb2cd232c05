import type { Hono } from 'hono';
import type { OpenRelay } from '../open-relay';
import { adminRoutes, type AdminCredentials } from './admin-routes';
import { QueueAdmin } from './queue-admin';

/**
 * The admin API and Bull Board for a Node service that owns a relay
 * (`mailq serve`, `mailq dev`, `mailq relay`), to mount at `/admin`.
 */
export function adminApp(
  relay: OpenRelay,
  options: { credentials: AdminCredentials; namespace?: string; partitions?: number },
): { routes: Hono; close: () => Promise<void> } {
  const admin = new QueueAdmin(relay.redis, relay.backend.stores, options.namespace, options.partitions ?? 1);
  return {
    routes: adminRoutes(admin, relay.backend.stores, options.credentials),
    close: () => admin.close(),
  };
}
