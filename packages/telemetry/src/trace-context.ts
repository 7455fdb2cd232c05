import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { TRACER_NAME } from './span-names';

/** The project's tracer; a no-op until a runtime registers a provider. */
export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** W3C trace context of the active span, to carry across a process boundary. */
export function currentTraceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** The active trace id, for log correlation; undefined outside a span. */
export function currentTraceId(): string | undefined {
  const span = trace.getSpan(context.active());
  return span?.spanContext().traceId;
}
