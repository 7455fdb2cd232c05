import { ingestSettings, loadIngestConfig, startNodeIngest } from '@mailq/ingest';
import { startBounceListener } from '@mailq/relay';
import { createLogger, startMetrics, startTracing } from '@mailq/telemetry-node';
import { resolveRedisTarget } from '../redis-target';
import { onShutdown } from '../shutdown';

/** `mailq serve`: the ingest API with the relay in-process, against REDIS_URL / REDIS_CLUSTER. */
export async function serveCommand(env: Record<string, string | undefined>): Promise<void> {
  const config = loadIngestConfig(env);
  const logger = createLogger('mailq-ingest', { level: config.LOG_LEVEL });
  const redis = resolveRedisTarget(config, '.data', true);
  if (!redis) return;
  const tracing = startTracing({
    serviceName: 'mailq-ingest',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const metrics = startMetrics({
    serviceName: 'mailq-ingest',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const ingest = await startNodeIngest({
    redis,
    logger,
    ...ingestSettings(config),
    extend: (app) => app.get('/metrics', (c) => metrics.handler(c.req.raw)),
  });
  logger.info({ url: ingest.server.url }, 'ingest listening');
  const bounces = config.BOUNCE_SMTP_PORT
    ? await startBounceListener(ingest.backend.feedback, { port: config.BOUNCE_SMTP_PORT, host: config.HOST })
    : null;
  if (bounces) logger.info({ port: bounces.port }, 'bounce SMTP listener ready');
  onShutdown(logger, 15_000, [
    ['bounces', async () => bounces?.close()],
    ['ingest', () => ingest.close()],
    ['metrics', () => metrics.shutdown()],
    ['tracing', () => tracing.shutdown()],
  ]);
}
