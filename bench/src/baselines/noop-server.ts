import { randomUUID } from 'node:crypto';
import type { Role } from '../support/role';
import { listenOnLoopback, minimalApp } from './minimal-app';

/**
 * The ceiling: the same hand-written server (HTTP, JSON, validation) that
 * stores nothing. No ingest that really stores a message can beat it on the
 * same machine; the product's target is to come within 15 % of it.
 */
export async function start(): Promise<Role<{ url: string }>> {
  const server = await listenOnLoopback(
    minimalApp({
      one: async () => randomUUID(),
      many: async (emails) => emails.map(() => randomUUID()),
    }),
  );
  return { info: { url: server.url }, methods: {}, close: () => server.close() };
}
