import { createLogger, startTracing } from '@mailq/telemetry-node';
import { loadWorkerConfig, startWorkers } from '@mailq/worker';
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
  const fleet = await startWorkers({ redis, config, logger, namespace: config.MAILQ_NAMESPACE });
  onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS + 5_000, [
    ['workers', () => fleet.close(config.SHUTDOWN_TIMEOUT_MS)],
    ['tracing', () => tracing.shutdown()],
  ]);
}
