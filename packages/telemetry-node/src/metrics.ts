import { metrics } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

/** Prometheus text exposition format 0.0.4, what every Prometheus-compatible scraper reads. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsOptions {
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT; metrics are also pushed over OTLP/HTTP only when set. */
  otlpEndpoint?: string | undefined;
  /** Interval of the OTLP push, ms (default 60 000, the OpenTelemetry default). */
  exportIntervalMs?: number;
  /** Bound on one collection (observable gauges that read Redis included), ms (default 5 000). */
  collectTimeoutMs?: number;
}

export interface Metrics {
  /** Every instrument, collected now, in the Prometheus text format. */
  text(): Promise<string>;
  /** The content type to answer {@link Metrics.text} with. */
  readonly contentType: string;
  /** `GET /metrics` as a Web-standard handler (Hono: `app.get('/metrics', (c) => m.handler(c.req.raw))`). */
  handler(request: Request): Promise<Response>;
  /** Pushes a last OTLP export (when configured) and unregisters the provider. */
  shutdown(): Promise<void>;
}

/**
 * The pull side of Prometheus: collects (cumulative, default aggregations, as
 * `PrometheusExporter` does) when asked. Not `PrometheusExporter` itself with
 * `preventServerStart`: exporter-prometheus 0.223.0 pins sdk-metrics 2.12.0
 * exactly while the rest of the SDK resolved 2.12.1, so its reader is a
 * MetricReader of another copy of the SDK. Its serializer takes plain data.
 */
class ScrapeReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/**
 * Registers the global MeterProvider: a Prometheus reader that runs no server
 * of its own (the service mounts {@link Metrics.handler} or {@link Metrics.text}
 * at `/metrics` on the port it already has) and, with an OTLP endpoint, a
 * periodic OTLP/HTTP reader. Observable instruments are computed when a reader
 * collects — on a scrape, and every `exportIntervalMs` with OTLP — never on a
 * timer of their own. Call it before creating workers and queues, and once per
 * process: a second registration throws.
 */
export function startMetrics(options: MetricsOptions): Metrics {
  const prometheus = new ScrapeReader();
  const serializer = new PrometheusSerializer();
  const readers: MetricReader[] = [prometheus];
  if (options.otlpEndpoint) {
    // OTLP/HTTP signal path (OpenTelemetry spec: <endpoint>/v1/metrics). Headers, timeouts and
    // compression still come from the standard OTEL_EXPORTER_OTLP_* variables.
    const url = `${options.otlpEndpoint.replace(/\/+$/, '')}/v1/metrics`;
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url }),
        exportIntervalMillis: options.exportIntervalMs ?? 60_000,
      }),
    );
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    readers,
  });
  if (!metrics.setGlobalMeterProvider(provider)) {
    throw new Error('a MeterProvider is already registered in this process; call startMetrics once');
  }
  const text = async (): Promise<string> => {
    const { resourceMetrics } = await prometheus.collect({
      timeoutMillis: options.collectTimeoutMs ?? 5_000,
    });
    return serializer.serialize(resourceMetrics);
  };
  return {
    text,
    contentType: PROMETHEUS_CONTENT_TYPE,
    async handler(request) {
      const body = await text();
      return new Response(request.method === 'HEAD' ? null : body, {
        headers: { 'content-type': PROMETHEUS_CONTENT_TYPE },
      });
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}
