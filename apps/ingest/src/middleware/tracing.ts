import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { ATTRS, LABELS, SPANS, mailqMetrics, tracer } from '@mailq/telemetry';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';

/**
 * Starts the request's server span (continuing an incoming `traceparent`), so
 * everything the request causes — enqueue, job, SMTP send — joins its trace,
 * and records its duration in `mailq_ingest_request_duration_seconds` by
 * method, route pattern (bounded, unlike the path) and status. Both go
 * through `@opentelemetry/api` only: no-ops where no SDK is registered.
 */
export function traceRequests(): MiddlewareHandler<AppEnv> {
  return async function traceRequest(c, next) {
    const started = performance.now();
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const span = tracer().startSpan(
      SPANS.httpRequest,
      { kind: SpanKind.SERVER, attributes: { [ATTRS.httpMethod]: c.req.method } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      const route = routePath(c);
      span.setAttribute(ATTRS.httpRoute, route);
      span.setAttribute(ATTRS.httpStatus, c.res.status);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      mailqMetrics().ingestRequestDuration.record((performance.now() - started) / 1000, {
        [LABELS.method]: c.req.method,
        [LABELS.route]: route,
        [LABELS.status]: c.res.status,
      });
    }
  };
}
