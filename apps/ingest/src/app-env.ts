import type { Backend, Principal } from '@mailq/contracts';
import type { TrackingKeys } from '@mailq/signing';
import type { Context } from 'hono';

/** What the ingest logs; pino satisfies it on Node, a console adapter on Workers. */
export interface IngestLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The ports `createApp` receives; entry files (node.ts, worker.ts) wire the real ones. */
export interface AppDeps {
  backend: Backend;
  logger: IngestLogger;
  /** Public base URL used in the OpenAPI document's `servers`. */
  publicUrl?: string;
  /** Keys verifying open/click tokens; without them the /t routes are not mounted. */
  trackingKeys?: TrackingKeys;
  /** The client's address as the runtime knows it (Postmark's IP allowlist needs it). */
  clientAddress?: ClientAddress;
}

export type ClientAddress = (c: Context<AppEnv>) => string | undefined;

/** Hono environment: per-request variables set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
