import { createQueue } from '@mailq/queues';
import { createLogger } from '@mailq/telemetry-node';
import { waitUntil } from '@mailq/testing';
import { startWorkers } from '@mailq/worker';
import { describe, expect, it } from 'vitest';
import { sampleEmail, testWorkerConfig } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform({ withWorkers: false });

const fleet = () =>
  startWorkers({
    redis: env.target,
    namespace: env.platform.namespace,
    logger: createLogger('test', { level: 'silent' }),
    config: testWorkerConfig(env.sink.url, { EMAIL_CONCURRENCY: '5' }),
  });

describe('worker shutdown', () => {
  it('closing mid-stream finishes running jobs, leaves the rest queued, and a new worker delivers every one once', async () => {
    const total = 60;
    const response = await env.platform.send(
      Array.from({ length: total }, (_, i) => sampleEmail({ subject: `drain ${i}` })),
      { path: '/v1/emails/batch' },
    );
    expect(response.status).toBe(200);

    const first = await fleet();
    await env.sink.waitFor(1);
    await first.close(10_000);
    const queue = createQueue('email', env.platform.redis, env.platform.namespace);
    const afterClose = await queue.getJobCounts('active', 'waiting', 'completed', 'failed');
    expect(afterClose.active).toBe(0);
    expect(afterClose.failed).toBe(0);
    expect(env.sink.messages.length).toBe(afterClose.completed);

    const second = await fleet();
    await env.sink.waitFor(total, 30_000);
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed === total);
    await second.close(10_000);
    await queue.close();
    const subjects = env.sink.messages.map((m) => m.parsed.subject);
    expect(new Set(subjects).size).toBe(total);
    expect(subjects).toHaveLength(total);
  });
});
