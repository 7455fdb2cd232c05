// The ingest on Cloudflare Workers: the same Hono app as on Node, with the
// `Backend` being a signed HTTP client of the relay (`mailq relay`). Nothing
// here or below may import Node-only code; `npm run build` checks it.
import { ConfigError, type ErrorEnvelope } from '@mailq/contracts';
import { parseTrackingKeys } from '@mailq/signing';
import type { Hono } from 'hono';
import { createApp } from './app';
import type { AppEnv, IngestLogger } from './app-env';
import { loadEdgeConfig } from './edge/edge-config';
import { createRelayBackend } from './edge/relay-backend';

// Workers logs are console lines; JSON keeps them as searchable as pino's on Node.
/* eslint-disable no-console -- the console is the Workers runtime's log sink */
const logger: IngestLogger = {
  error: (fields, message) => console.error(JSON.stringify({ level: 'error', msg: message, ...fields })),
  warn: (fields, message) => console.warn(JSON.stringify({ level: 'warn', msg: message, ...fields })),
};
/* eslint-enable no-console */

// One app per isolate and set of bindings: building it (routes, OpenAPI) is not free.
let cached: { bindings: object; app: Hono<AppEnv> } | undefined;

function appFor(bindings: Record<string, unknown>): Hono<AppEnv> {
  if (cached?.bindings === bindings) return cached.app;
  const config = loadEdgeConfig(bindings);
  const app = createApp({
    backend: createRelayBackend({
      url: config.RELAY_URL,
      secret: config.RELAY_SECRET,
      timeoutMs: config.RELAY_TIMEOUT_MS,
    }),
    logger,
    clientAddress: (c) => c.req.header('cf-connecting-ip'),
    ...(config.TRACKING_KEYS ? { trackingKeys: parseTrackingKeys(config.TRACKING_KEYS) } : {}),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  });
  cached = { bindings, app };
  return app;
}

export default {
  fetch(request: Request, bindings: Record<string, unknown>, context: unknown): Response | Promise<Response> {
    try {
      return appFor(bindings).fetch(request, bindings, context as never);
    } catch (error) {
      // A Worker has no process to stop: bad bindings answer every request 500 and say which.
      if (!(error instanceof ConfigError)) throw error;
      logger.error({ err: error.message }, 'invalid configuration');
      const body: ErrorEnvelope = {
        error: { code: 'internal_error', message: `The ingest is misconfigured: ${error.message}` },
      };
      return Response.json(body, { status: 500 });
    }
  },
};
