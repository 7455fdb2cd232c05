import {
  adminCredentials,
  loadRelayServiceConfig,
  relaySettings,
  startBounceListener,
  startRelayService,
} from '@mailq/relay';
import { createLogger, startMetrics, startTracing } from '@mailq/telemetry-node';
import { resolveRedisTarget } from '../redis-target';
import { onShutdown } from '../shutdown';

/**
 * `mailq relay`: the relay as its own service, for an ingest deployed at the
 * edge (Cloudflare Workers, RELAY_URL + RELAY_SECRET there). It serves the
 * signed internal API and, with BOUNCE_SMTP_PORT, the bounce mailbox.
 */
export async function relayCommand(env: Record<string, string | undefined>): Promise<void> {
  const config = loadRelayServiceConfig(env);
  const logger = createLogger('mailq-relay', { level: config.LOG_LEVEL });
  const redis = resolveRedisTarget(config, '.data', true);
  if (!redis) return;
  const tracing = startTracing({
    serviceName: 'mailq-relay',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const metrics = startMetrics({
    serviceName: 'mailq-relay',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const relay = await startRelayService({
    redis,
    port: config.RELAY_PORT,
    host: config.RELAY_HOST,
    secret: config.RELAY_SECRET,
    namespace: config.MAILQ_NAMESPACE,
    relay: relaySettings(config),
    logger,
    extend: (app) => app.get('/metrics', (c) => metrics.handler(c.req.raw)),
    ...(adminCredentials(config) ? { admin: adminCredentials(config) } : {}),
  });
  logger.info({ url: relay.server.url }, 'relay listening');
  const bounces = config.BOUNCE_SMTP_PORT
    ? await startBounceListener(relay.backend.feedback, {
        port: config.BOUNCE_SMTP_PORT,
        host: config.RELAY_HOST,
      })
    : null;
  if (bounces) logger.info({ port: bounces.port }, 'bounce SMTP listener ready');
  onShutdown(logger, 15_000, [
    ['bounces', async () => bounces?.close()],
    ['relay', () => relay.close()],
    ['metrics', () => metrics.shutdown()],
    ['tracing', () => tracing.shutdown()],
  ]);
}
