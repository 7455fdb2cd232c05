import { createQueue } from '@mailq/queues';
import { createLogger } from '@mailq/telemetry-node';
import {
  startRedisServer,
  startSmtpSink,
  waitUntil,
  type RedisServerHandle,
  type SmtpSink,
} from '@mailq/testing';
import { startWorkers } from '@mailq/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEmail, startPlatform, type Platform } from './support/platform';

let redis: RedisServerHandle;
let sink: SmtpSink;
let platform: Platform;

beforeAll(async () => {
  redis = await startRedisServer();
  sink = await startSmtpSink();
  platform = await startPlatform({
    redis: { kind: 'single', url: redis.url },
    smtpUrl: sink.url,
    withWorkers: false,
  });
});

afterAll(async () => {
  await platform?.stop();
  await sink?.close();
  await redis?.destroy();
});

const fleet = () =>
  startWorkers({
    redis: { kind: 'single', url: redis.url },
    namespace: platform.namespace,
    logger: createLogger('test', { level: 'silent' }),
    config: {
      SMTP_URL: sink.url,
      EMAIL_CONCURRENCY: 5,
      SMTP_POOL_SIZE: 2,
      RETRY_BASE_DELAY_MS: 100,
      RETRY_MAX_DELAY_MS: 400,
    },
  });

describe('worker shutdown', () => {
  it('closing mid-stream finishes running jobs, leaves the rest queued, and a new worker delivers every one once', async () => {
    const total = 60;
    const response = await platform.send(
      Array.from({ length: total }, (_, i) => sampleEmail({ subject: `drain ${i}` })),
      { path: '/v1/emails/batch' },
    );
    expect(response.status).toBe(200);

    const first = await fleet();
    await sink.waitFor(1);
    await first.close(10_000);
    const queue = createQueue('email', platform.redis, platform.namespace);
    const afterClose = await queue.getJobCounts('active', 'waiting', 'completed', 'failed');
    expect(afterClose.active).toBe(0);
    expect(afterClose.failed).toBe(0);
    expect(sink.messages.length).toBe(afterClose.completed);

    const second = await fleet();
    await sink.waitFor(total, 30_000);
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed === total);
    await second.close(10_000);
    await queue.close();
    const subjects = sink.messages.map((m) => m.parsed.subject);
    expect(new Set(subjects).size).toBe(total);
    expect(subjects).toHaveLength(total);
  });
});
