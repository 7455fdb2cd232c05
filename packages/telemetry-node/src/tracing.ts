import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface TracingOptions {
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; spans are exported over OTLP/HTTP only when set. */
  otlpEndpoint?: string | undefined;
  /** Extra processors (tests pass an in-memory exporter's processor). */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider with W3C trace-context propagation and
 * async-hooks context, so spans started by ingest, bullmq-otel and the worker
 * join one trace. Without an endpoint and processors it still propagates
 * context (trace ids appear in logs and jobs) but exports nothing.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processors = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    // OTLP/HTTP signal path (OpenTelemetry spec: <endpoint>/v1/traces). Headers,
    // timeouts and compression still come from the standard OTEL_EXPORTER_OTLP_* variables.
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url })));
  }
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: processors,
  });
  provider.register();
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
    },
  };
}
