import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { ATTRS, SPANS, tracer } from '@mailq/telemetry';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../app-env';

/**
 * Starts the request's server span (continuing an incoming `traceparent`), so
 * everything the request causes — enqueue, job, SMTP send — joins its trace.
 */
export function traceRequests(): MiddlewareHandler<AppEnv> {
  return async function traceRequest(c, next) {
    const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
    const span = tracer().startSpan(
      SPANS.httpRequest,
      { kind: SpanKind.SERVER, attributes: { [ATTRS.httpMethod]: c.req.method } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      span.setAttribute(ATTRS.httpRoute, routePath(c));
      span.setAttribute(ATTRS.httpStatus, c.res.status);
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  };
}
