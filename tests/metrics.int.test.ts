import { createQueue, createRedis, waitForReady, type RedisClient } from '@mailq/queues';
import { startMetrics, type Metrics } from '@mailq/telemetry-node';
import { freePort, startRedisServer, waitUntil } from '@mailq/testing';
import { observeQueueDepth } from '@mailq/worker';
import type { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForEmail } from './support/email-status';
import { startMailq, type MailqProcess } from './support/mailq-process';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

/** One series of a Prometheus text exposition. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1] ?? '', labels, value: Number(match[3]) };
    });
}

/** Sum of the series named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parse(await response.text());
}

describe('/metrics of `mailq serve` and `mailq worker`, scraped around sends', () => {
  // Ingest and worker as deployed, each its own process, on the fixture's Redis, sink and tenants.
  const env = useTestPlatform({ withWorkers: false });
  let serve: MailqProcess;
  let worker: MailqProcess;
  let apiUrl: string;
  let workerUrl: string;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    const common = {
      REDIS_URL: env.redis.url,
      MAILQ_NAMESPACE: env.platform.namespace,
      QUEUE_PARTITIONS: '2',
      LOG_LEVEL: 'info',
    };
    const [apiPort, healthPort] = [await freePort(), await freePort()];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    workerUrl = `http://127.0.0.1:${healthPort}`;
    [serve, worker] = await Promise.all([
      startMailq(
        'serve',
        { ...common, PORT: String(apiPort), REQUIRE_VERIFIED_DOMAIN: 'false' },
        'ingest listening',
      ),
      startMailq(
        'worker',
        {
          ...common,
          SMTP_URL: env.sink.url,
          WORKER_HEALTH_PORT: String(healthPort),
          RETRY_BASE_DELAY_MS: '100',
          RETRY_MAX_DELAY_MS: '400',
        },
        'health endpoint ready',
      ),
    ]);
    const tenantOf = async (key: string) => (await env.platform.stores.apiKeys.resolve(key))?.tenantId ?? '';
    [tenantA, tenantB] = await Promise.all([tenantOf(env.platform.keyA), tenantOf(env.platform.keyB)]);
  });
  afterAll(async () => {
    // SIGTERM as an orchestrator would: shutdown includes the metrics provider.
    const codes = await Promise.all([serve?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
    expect(codes).toEqual([0, 0]);
  });

  const send = async (key: string, body: Record<string, unknown>): Promise<string> => {
    const response = await fetch(`${apiUrl}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };

  it('counts accepted and delivered by exactly the number sent, per tenant and destination', async () => {
    const [apiBefore, workerBefore] = await Promise.all([scrape(apiUrl), scrape(workerUrl)]);
    const ids = [
      await send(env.platform.keyA, sampleEmail({ to: 'one@gmail.com' })),
      await send(env.platform.keyA, sampleEmail({ to: 'two@gmail.com' })),
      await send(env.platform.keyA, sampleEmail({ to: 'three@example.net' })),
      await send(env.platform.keyB, sampleEmail({ to: 'four@example.net' })),
    ];
    const apiAfter = await scrape(apiUrl);
    const moved = (after: Sample[], before: Sample[], name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);

    // Accepted is counted by the relay inside `mailq serve`, before the 202.
    expect(moved(apiAfter, apiBefore, 'mailq_emails_accepted_total', { tenant: tenantA })).toBe(3);
    expect(moved(apiAfter, apiBefore, 'mailq_emails_accepted_total', { tenant: tenantB })).toBe(1);
    const route = { route: '/v1/emails', method: 'POST', status: '202' };
    expect(moved(apiAfter, apiBefore, 'mailq_ingest_request_duration_seconds_count', route)).toBe(4);
    expect(
      moved(apiAfter, apiBefore, 'mailq_ingest_request_duration_seconds_bucket', { ...route, le: '+Inf' }),
    ).toBe(4);

    for (const id of ids.slice(0, 3)) await waitForEmail(env.platform, id, 'delivered');
    await waitUntil(async () => {
      const response = await env.platform.getEmail(ids[3] ?? '', env.platform.keyB);
      return ((await response.json()) as { status: string }).status === 'delivered';
    });
    // Counted right after the ledger write the status reads, so it may trail it by a moment.
    const workerAfter = await waitUntil(async () => {
      const samples = await scrape(workerUrl);
      return moved(samples, workerBefore, 'mailq_emails_delivered_total') >= 4 ? samples : undefined;
    });
    const delivered = (labels: Record<string, string>) =>
      moved(workerAfter, workerBefore, 'mailq_emails_delivered_total', labels);
    expect(delivered({})).toBe(4);
    expect(delivered({ tenant: tenantA })).toBe(3);
    expect(delivered({ tenant: tenantB })).toBe(1);
    expect(delivered({ tenant: tenantA, destination: 'gmail.com' })).toBe(2);
    expect(delivered({ tenant: tenantA, destination: 'other' })).toBe(1);
    for (const name of [
      'mailq_emails_deferred_total',
      'mailq_emails_bounced_total',
      'mailq_emails_failed_total',
    ])
      expect(moved(workerAfter, workerBefore, name)).toBe(0);
    expect(
      moved(workerAfter, workerBefore, 'mailq_smtp_replies_total', { class: '2xx', outcome: 'delivered' }),
    ).toBe(4);
    expect(moved(workerAfter, workerBefore, 'mailq_delivery_latency_seconds_count')).toBe(4);
    expect(moved(workerAfter, workerBefore, 'mailq_delivery_latency_seconds_sum')).toBeGreaterThan(0);
    // bullmq-otel's job metrics, through the worker's meter.
    expect(
      moved(workerAfter, workerBefore, 'bullmq_jobs_completed_total', { bullmq_queue_name: 'email' }),
    ).toBeGreaterThanOrEqual(4);
  });

  it('counts SMTP reply classes and deferrals', async () => {
    const before = await scrape(workerUrl);
    env.sink.failNext('rcpt', { code: 451, message: '4.7.1 try again later' }, 1);
    const id = await send(env.platform.keyA, sampleEmail({ to: 'later@example.net' }));
    await waitForEmail(env.platform, id, 'delivered', 30_000);
    const after = await waitUntil(async () => {
      const samples = await scrape(workerUrl);
      return total(samples, 'mailq_emails_delivered_total') > total(before, 'mailq_emails_delivered_total')
        ? samples
        : undefined;
    });
    const moved = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    expect(moved('mailq_emails_deferred_total', { tenant: tenantA, destination: 'other' })).toBe(1);
    expect(moved('mailq_smtp_replies_total', { class: '4xx', outcome: 'deferred' })).toBe(1);
    expect(moved('mailq_smtp_replies_total', { class: '2xx', outcome: 'delivered' })).toBe(1);
  });

  it('reports depth per queue and partition, read from Redis on the scrape', async () => {
    const id = await send(
      env.platform.keyA,
      sampleEmail({
        to: 'tomorrow@example.net',
        scheduled_at: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    );
    const samples = await scrape(workerUrl);
    for (const name of [
      'mailq_queue_waiting',
      'mailq_queue_active',
      'mailq_queue_delayed',
      'mailq_queue_failed',
      'mailq_queue_oldest_waiting_age_seconds',
    ]) {
      const series = samples
        .filter((s) => s.name === name)
        .map((s) => `${s.labels.queue}/${s.labels.partition}`);
      expect(series.sort()).toEqual([
        'analytics/0',
        'bounce/0',
        'email/0',
        'email/1',
        'tracking/0',
        'webhook/0',
      ]);
    }
    // The scheduled message waits in the delayed set of its partition.
    expect(total(samples, 'mailq_queue_delayed', { queue: 'email' })).toBe(1);
    expect(total(samples, 'mailq_queue_waiting', { queue: 'email' })).toBe(0);
    const cancel = await fetch(`${apiUrl}/v1/emails/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${env.platform.keyA}` },
    });
    expect(cancel.status).toBe(200);
    expect(total(await scrape(workerUrl), 'mailq_queue_delayed', { queue: 'email' })).toBe(0);
  });
});

describe('queue depth gauges', () => {
  // A Redis of its own, so its command count is this test's alone.
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let client: RedisClient;
  let metrics: Metrics;
  let queue: Queue;
  const t0 = Date.parse('2026-03-01T12:00:00.000Z');
  let stop: () => void;

  beforeAll(async () => {
    redis = await startRedisServer();
    client = createRedis({ kind: 'single', url: redis.url }, 'worker', 'metrics-test');
    await waitForReady(client);
    metrics = startMetrics({ serviceName: 'queue-depth-test' });
    queue = createQueue('email', client, 'depth-test');
    // Nobody works this queue: two jobs wait, the older one since t0; one is delayed.
    await queue.add('email', {}, { jobId: 'old', timestamp: t0 });
    await queue.add('email', {}, { jobId: 'new', timestamp: t0 + 30_000 });
    await queue.add('email', {}, { jobId: 'later', delay: 3_600_000 });
    stop = observeQueueDepth(client, [{ queue, kind: 'email', partition: 0 }], { now: () => t0 + 90_000 });
  });
  afterAll(async () => {
    stop?.();
    await metrics?.shutdown();
    await queue?.close();
    client?.disconnect();
    await redis?.destroy();
  });

  const commands = async () =>
    Number(/total_commands_processed:(\d+)/.exec(await client.info('stats'))?.[1] ?? Number.NaN);

  it('shows waiting, delayed and the age of the oldest waiting job', async () => {
    const samples = parse(await metrics.text());
    const labels = { queue: 'email', partition: '0' };
    expect(total(samples, 'mailq_queue_waiting', labels)).toBe(2);
    expect(total(samples, 'mailq_queue_delayed', labels)).toBe(1);
    expect(total(samples, 'mailq_queue_active', labels)).toBe(0);
    expect(total(samples, 'mailq_queue_failed', labels)).toBe(0);
    expect(total(samples, 'mailq_queue_oldest_waiting_age_seconds', labels)).toBe(90);
  });

  it('reads Redis only when scraped, with a few commands', async () => {
    const idleStart = await commands();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Only the INFO that measured: nothing runs between scrapes.
    expect((await commands()) - idleStart).toBe(1);
    const before = await commands();
    await metrics.text();
    const perScrape = (await commands()) - before - 1;
    // BullMQ's getCounts script (1 + 6 reads inside it), LINDEX, HMGET: 9 today.
    expect(perScrape).toBeGreaterThan(0);
    expect(perScrape).toBeLessThanOrEqual(10);
  });
});

describe('/metrics of `mailq dev`', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mailq-metrics-dev-'));
  const apiKey = 'mq_test_metrics_dev_0123456789abcdef';
  let dev: MailqProcess | undefined;
  afterAll(async () => {
    expect(await dev?.stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows ingest, relay and worker metrics of the one process', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // Its own redis-server and capture SMTP server, as `npm start` runs.
    dev = await startMailq(
      'dev',
      { LOG_LEVEL: 'warn', PORT: String(port), MAILQ_DATA_DIR: dataDir, MAILQ_DEV_API_KEY: apiKey },
      'Mail Queue is running',
    );
    const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
    const sent = await fetch(`${url}/v1/emails`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ from: 'dev@example.com', to: 'you@example.com', subject: 'hi', text: 'hi' }),
    });
    expect(sent.status).toBe(202);
    const samples = await waitUntil(async () => {
      const scraped = await scrape(url);
      return total(scraped, 'mailq_emails_delivered_total') >= 1 ? scraped : undefined;
    });
    expect(total(samples, 'mailq_emails_accepted_total')).toBe(1);
    expect(total(samples, 'mailq_emails_delivered_total', { destination: 'other' })).toBe(1);
    expect(total(samples, 'mailq_delivery_latency_seconds_count')).toBe(1);
    expect(total(samples, 'mailq_ingest_request_duration_seconds_count', { route: '/v1/emails' })).toBe(1);
    expect(samples.some((s) => s.name === 'mailq_queue_waiting' && s.labels.queue === 'email')).toBe(true);
  });
});
