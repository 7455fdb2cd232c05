import { ingestSettings, startNodeIngest } from '@mailq/ingest';
import { createRedis, waitForReady } from '@mailq/queues';
import { Stores } from '@mailq/store';
import { parseTrackingKeys } from '@mailq/signing';
import { createLogger, startMetrics, startTracing } from '@mailq/telemetry-node';
import { startWorkers } from '@mailq/worker';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startCaptureServer } from '../dev/capture-server';
import { ensureDevAccess } from '../dev/dev-access';
import { devBanner } from '../dev/dev-banner';
import { loadDevConfig } from '../dev/dev-config';
import { startLocalRedis } from '../dev/local-redis';
import { devAdminPassword, devTrackingKeys } from '../dev/dev-access';
import { outboxRoutes } from '../dev/outbox-routes';
import { DEV_REDIS_URL_FILE, resolveRedisTarget } from '../redis-target';
import { onShutdown } from '../shutdown';

/**
 * `mailq dev` (= `npm start`): the whole platform in one process. Starts its
 * own redis-server (unless REDIS_URL is set) and SMTP capture server (unless
 * SMTP_URL is set), then the workers and the ingest with the relay in-process.
 */
export async function devCommand(env: Record<string, string | undefined>): Promise<void> {
  const config = loadDevConfig(env);
  const logger = createLogger('mailq-dev', { level: config.LOG_LEVEL, pretty: process.stdout.isTTY });
  const dataDir = resolve(config.MAILQ_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const tracing = startTracing({
    serviceName: 'mailq-dev',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const metrics = startMetrics({
    serviceName: 'mailq-dev',
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });

  rmSync(join(dataDir, DEV_REDIS_URL_FILE), { force: true });
  const configured = resolveRedisTarget(config, dataDir, false);
  const localRedis = configured ? null : await startLocalRedis(join(dataDir, 'redis'));
  try {
    const redis = configured ?? { kind: 'single' as const, url: localRedis?.url ?? '' };
    if (localRedis) writeFileSync(join(dataDir, DEV_REDIS_URL_FILE), `${localRedis.url}\n`);

    const capture = config.SMTP_URL ? null : await startCaptureServer({ dir: join(dataDir, 'outbox') });
    const smtpUrl = config.SMTP_URL ?? capture?.url ?? '';

    // Open/click tracking works out of the box in dev: a key kept under .data/, links to this ingest.
    const trackingKeys = config.TRACKING_KEYS ?? devTrackingKeys(dataDir);
    const trackingBaseUrl = config.TRACKING_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;

    const admin = createRedis(redis, 'producer', 'mailq-dev-admin');
    await waitForReady(admin, 30_000);
    const apiKey = await ensureDevAccess(
      new Stores(admin, config.MAILQ_NAMESPACE),
      dataDir,
      config.MAILQ_DEV_API_KEY,
    );
    await admin.quit();

    // Without SMTP_URL (and not in mx mode) everything goes to the capture server.
    const mode = config.SMTP_URL || config.DELIVERY_MODE === 'mx' ? config.DELIVERY_MODE : 'capture';
    const workers = await startWorkers({
      redis,
      config: {
        ...config,
        DELIVERY_MODE: mode,
        SMTP_URL: smtpUrl,
        TRACKING_KEYS: trackingKeys,
        TRACKING_BASE_URL: trackingBaseUrl,
      },
      logger,
      namespace: config.MAILQ_NAMESPACE,
    });
    // The admin API and Bull Board are always on in dev, behind a generated password.
    const adminAccess = {
      user: config.ADMIN_USER,
      password: config.ADMIN_PASSWORD ?? devAdminPassword(dataDir),
      generated: !config.ADMIN_PASSWORD,
    };
    const ingest = await startNodeIngest({
      redis,
      logger,
      ...ingestSettings(config),
      admin: { user: adminAccess.user, password: adminAccess.password },
      trackingKeys: parseTrackingKeys(trackingKeys),
      extend: (app) => {
        // Ingest, relay and workers share this process, so one /metrics shows them all.
        app.get('/metrics', (c) => metrics.handler(c.req.raw));
        if (capture) app.route('/dev/outbox', outboxRoutes(join(dataDir, 'outbox')));
      },
    });

    process.stdout.write(
      devBanner({
        url: ingest.server.url,
        apiKey,
        smtp: smtpUrl.replace(/\/\/[^@/]*@/, '//***@'),
        captured: !!capture,
        anySender: config.REQUIRE_VERIFIED_DOMAIN === 'false',
        dataDir,
        admin: adminAccess,
      }),
    );

    onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS + 10_000, [
      ['ingest', () => ingest.close()],
      ['workers', () => workers.close(config.SHUTDOWN_TIMEOUT_MS)],
      ['capture', async () => capture?.close()],
      [
        'redis',
        async () => {
          await localRedis?.stop();
          rmSync(join(dataDir, DEV_REDIS_URL_FILE), { force: true });
        },
      ],
      ['metrics', () => metrics.shutdown()],
      ['tracing', () => tracing.shutdown()],
    ]);
  } catch (error) {
    // A start that fails half-way (a port in use, bad settings) must not leave the dev
    // redis-server running behind it.
    await localRedis?.stop().catch(() => undefined);
    rmSync(join(dataDir, DEV_REDIS_URL_FILE), { force: true });
    throw error;
  }
}
