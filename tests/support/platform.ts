import { startNodeIngest, type NodeIngest, type NodeIngestOptions } from '@mailq/ingest';
import type { DnsResolver } from '@mailq/mail';
import { parseTrackingKeys } from '@mailq/signing';
import { createRedis, waitForReady, type RedisClient, type RedisTarget } from '@mailq/queues';
import { Stores } from '@mailq/store';
import { createLogger } from '@mailq/telemetry-node';
import { loadWorkerConfig, startWorkers, type WorkerFleet } from '@mailq/worker';
import { randomUUID } from 'node:crypto';

export interface Platform {
  /** Where the API answers: the Node ingest, or the edge ingest with `useTestPlatform({ edge: true })`. */
  url: string;
  target: RedisTarget;
  /** API keys of two tenants, for isolation tests. */
  keyA: string;
  keyB: string;
  namespace: string;
  /** A producer-role client on the same Redis, for assertions. */
  redis: RedisClient;
  stores: Stores;
  ingest: NodeIngest;
  workers: WorkerFleet | null;
  send(
    body: unknown,
    options?: { key?: string; headers?: Record<string, string>; path?: string },
  ): Promise<Response>;
  getEmail(id: string, key?: string): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Ingest (with the relay in-process) and the worker fleet against a real Redis
 * and SMTP server, in a namespace of its own, with two tenants. Retries are
 * fast (100 ms base) so deferral tests do not wait on production backoff.
 */
export interface PlatformOptions {
  redis: RedisTarget;
  smtpUrl: string;
  withWorkers?: boolean;
  /** Extra worker variables, as strings like the environment (e.g. DESTINATION_LIMITS). */
  workerEnv?: Record<string, string>;
  /** Relay settings; by default any sender domain is accepted, as in dev. */
  relay?: NodeIngestOptions['relay'];
  now?: () => Date;
  resolver?: DnsResolver;
  /** Port for the ingest (0: any). */
  port?: number;
  /** TRACKING_KEYS for the ingest's /t routes. */
  trackingKeys?: string;
  /** ADMIN_USER / ADMIN_PASSWORD: the admin API and Bull Board at /admin. */
  admin?: NodeIngestOptions['admin'];
}

/** The worker configuration tests use: fast retries unless overridden. */
export function testWorkerConfig(smtpUrl: string, extra: Record<string, string> = {}) {
  return loadWorkerConfig({
    SMTP_URL: smtpUrl,
    EMAIL_CONCURRENCY: '10',
    SMTP_POOL_SIZE: '2',
    RETRY_BASE_DELAY_MS: '100',
    RETRY_MAX_DELAY_MS: '400',
    SMTP_TIMEOUT_MS: '5000',
    DESTINATION_LIMITS: '{"*":{"maxConnections":50,"messagesPerSecond":1000}}',
    ...extra,
  });
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const namespace = `t-${randomUUID().slice(0, 8)}`;
  const logger = createLogger('test', { level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const redis = createRedis(options.redis, 'producer', 'test-admin');
  await waitForReady(redis);
  const stores = new Stores(redis, namespace);
  const tenantA = await stores.tenants.create('Tenant A');
  const tenantB = await stores.tenants.create('Tenant B');
  const keyA = (await stores.apiKeys.create(tenantA.id, 'a')).key;
  const keyB = (await stores.apiKeys.create(tenantB.id, 'b')).key;

  const workers =
    options.withWorkers === false
      ? null
      : await startWorkers({
          redis: options.redis,
          namespace,
          logger,
          config: testWorkerConfig(options.smtpUrl, options.workerEnv),
          ...(options.now ? { now: options.now } : {}),
          ...(options.resolver ? { resolver: options.resolver } : {}),
        });
  const ingest = await startNodeIngest({
    redis: options.redis,
    port: options.port ?? 0,
    ...(options.trackingKeys ? { trackingKeys: parseTrackingKeys(options.trackingKeys) } : {}),
    logger,
    namespace,
    ...(options.admin ? { admin: options.admin } : {}),
    relay: {
      requireVerifiedDomain: false,
      ...(options.now ? { now: options.now } : {}),
      ...(options.resolver ? { resolver: options.resolver } : {}),
      ...options.relay,
    },
  });
  const platform: Platform = {
    url: ingest.server.url,
    target: options.redis,
    keyA,
    keyB,
    namespace,
    redis,
    stores,
    ingest,
    workers,
    send: (body, { key = keyA, headers = {}, path = '/v1/emails' } = {}) =>
      fetch(platform.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    getEmail: (id, key = keyA) =>
      fetch(`${platform.url}/v1/emails/${id}`, { headers: { authorization: `Bearer ${key}` } }),
    async stop() {
      await ingest.close();
      await workers?.close(5_000);
      redis.disconnect();
    },
  };
  return platform;
}

/** A small valid message; override any field. */
export function sampleEmail(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 'Sender <sender@example.com>',
    to: ['ada@example.net'],
    subject: 'Hello from Mail Queue',
    text: 'Plain body',
    html: '<p>HTML body</p>',
    ...overrides,
  };
}
