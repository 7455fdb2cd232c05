import { ApiError, LIMITS, isRelayMethod, type Backend, type ErrorEnvelope } from '@mailq/contracts';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { durably } from '../storage-errors';
import { dispatch } from './rpc-dispatch';
import { requireRelaySignature } from './verify-signature';

export interface RelayLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface RelayAppDeps {
  backend: Backend;
  /** RELAY_SECRET, shared with the edge ingest. */
  secret: string;
  claimNonce: (nonce: string, ttlSeconds: number) => Promise<boolean>;
  logger: RelayLogger;
  now?: () => number;
  /** Extra routes (metrics, admin UI) mounted before the internal API. */
  extend?: (app: Hono) => void;
}

const RpcBody = v.object({ args: v.pipe(v.array(v.unknown()), v.maxLength(4)) });

/**
 * The relay's HTTP face for edge ingest: `POST /internal/v1/rpc/<method>`
 * runs one `Backend` call for a signed request, plus `/healthz` and `/readyz`
 * for the orchestrator. The edge has already validated the public request;
 * the relay checks who is calling (the signature) and the call's shape.
 */
export function createRelayApp(deps: RelayAppDeps): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      if (error.code === 'storage_unavailable')
        deps.logger.warn({ cause: String(error.cause) }, 'storage unavailable');
      return errorJson(c, error);
    }
    deps.logger.error({ err: error }, 'unhandled relay error');
    return errorJson(c, new ApiError('internal_error', 'Internal error.'));
  });
  app.notFound((c) => errorJson(c, new ApiError('not_found', 'No such relay route.')));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const readiness = await deps.backend.readiness();
    return c.json(
      { status: readiness.ok ? 'ok' : 'unavailable', checks: readiness.checks },
      readiness.ok ? 200 : 503,
    );
  });
  deps.extend?.(app);

  app.post(
    '/internal/v1/rpc/:method',
    bodyLimit({
      maxSize: LIMITS.maxBatchBodyBytes + 64 * 1024,
      onError: () => {
        throw new ApiError('payload_too_large', 'The relay request is too large.');
      },
    }),
    requireRelaySignature({
      secret: deps.secret,
      claimNonce: (nonce, ttl) => durably(() => deps.claimNonce(nonce, ttl)),
      ...(deps.now ? { now: deps.now } : {}),
      onRefused: (reason) => deps.logger.warn({ reason }, 'relay request refused'),
    }),
    async (c) => {
      const method = c.req.param('method');
      if (!isRelayMethod(method)) throw new ApiError('not_found', `No relay method ${method}.`);
      const parsed = v.safeParse(RpcBody, await c.req.json().catch(() => null));
      if (!parsed.success) throw new ApiError('invalid_request', 'The body must be {"args":[…]}.');
      const result = await dispatch(deps.backend, method, parsed.output.args);
      // `undefined` (void methods) has no JSON form; null keeps the `result` key present.
      return c.json({ result: result ?? null });
    },
  );
  return app;
}

function errorJson(c: Context, error: ApiError): Response {
  const body: ErrorEnvelope = {
    error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
  };
  return c.json(body, error.status as ContentfulStatusCode);
}
