import { createLogger, startMetrics, startTracing } from '@mailq/telemetry-node';
import { loadWorkerConfig, startHealthServer, startWorkers } from '@mailq/worker';
import { resolveRedisTarget } from '../redis-target';
import { onShutdown } from '../shutdown';

/** `mailq worker`: one worker process draining every queue; run as many as load needs. */
export async function workerCommand(env: Record<string, string | undefined>): Promise<void> {
  const config = loadWorkerConfig(env);
  const logger = createLogger('mailq-worker', { level: config.LOG_LEVEL });
  const redis = resolveRedisTarget(config, '.data', true);
  if (!redis) return;
  const tracing = startTracing({
    serviceName: 'mailq-worker',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  // Before the workers: their queue-depth gauges and job metrics register on this provider.
  const metrics = startMetrics({
    serviceName: 'mailq-worker',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const fleet = await startWorkers({ redis, config, logger, namespace: config.MAILQ_NAMESPACE });
  const health = config.WORKER_HEALTH_PORT
    ? await startHealthServer(config.WORKER_HEALTH_PORT, '0.0.0.0', () => fleet.health(), metrics)
    : null;
  if (health) logger.info({ port: health.port }, 'health endpoint ready (/healthz, /readyz, /metrics)');
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS + 5_000, [
    ['health', async () => health?.close()],
    ['workers', () => fleet.close(config.SHUTDOWN_TIMEOUT_MS)],
    ['metrics', () => metrics.shutdown()],
    ['tracing', () => tracing.shutdown()],
  ]);
}
