import { waitUntil } from '@mailq/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';
import { startMailq, type MailqProcess } from './support/mailq-process';

// Ingest in-process; workers as separate `mailq worker` processes, as deployed.
const env = useTestPlatform({ withWorkers: false });
const running: MailqProcess[] = [];
const startWorkerProcess = (env: Record<string, string>) =>
  startMailq('worker', { LOG_LEVEL: 'info', ...env }, 'workers started');

afterEach(async () => {
  await Promise.all(running.splice(0).map((w) => w.stop('SIGKILL')));
  env.sink.clear();
});

function workerEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: env.redis.url,
    SMTP_URL: env.sink.url,
    MAILQ_NAMESPACE: env.platform.namespace,
    RETRY_BASE_DELAY_MS: '100',
    RETRY_MAX_DELAY_MS: '400',
    ...extra,
  };
}

describe('a fleet of worker processes', () => {
  it('shares one destination limit between two processes', async () => {
    const limits = '{"limited.test":{"messagesPerSecond":4,"maxConnections":2}}';
    for (let i = 0; i < 2; i++)
      running.push(await startWorkerProcess(workerEnv({ DESTINATION_LIMITS: limits })));

    const total = 20;
    const response = await env.platform.send(
      Array.from({ length: total }, (_, i) =>
        sampleEmail({ to: `r${i}@limited.test`, subject: `limited ${i}` }),
      ),
      { path: '/v1/emails/batch' },
    );
    const { data } = (await response.json()) as { data: { id: string }[] };
    const received = await env.sink.waitFor(total, 30_000);

    const times = received.map((m) => m.receivedAt.getTime()).sort((a, b) => a - b);
    let busiestSecond = 0;
    for (const start of times)
      busiestSecond = Math.max(busiestSecond, times.filter((t) => t >= start && t < start + 1000).length);
    const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
    const perSecond = ((total - 1) * 1000) / spanMs;
    console.log(
      `limited.test: ${total} messages over ${spanMs} ms (${perSecond.toFixed(1)}/s), busiest 1 s: ${busiestSecond}`,
    );
    // The limiter admits at most 4 sends in any 1 s (proven exactly in the store's limiter tests);
    // at the receiver, connection set-up shifts arrivals by up to a few hundred ms, so the
    // measured figures are the sustained rate, and a burst bound of twice the limit.
    expect(perSecond).toBeLessThanOrEqual(4);
    expect(busiestSecond).toBeLessThanOrEqual(8);
    const timelines = await Promise.all(
      data.map(async (d) => (await waitForEmail(env.platform, d.id, 'delivered')).events),
    );
    const throttled = timelines.map((events) => events.some((e) => e.detail?.includes('throttled')));
    // Waiting on the limit is recorded once per message, and only the real send is an attempt.
    for (const events of timelines) {
      expect(events.filter((e) => e.detail?.includes('throttled')).length).toBeLessThanOrEqual(1);
      expect(events.filter((e) => e.type === 'attempt')).toHaveLength(1);
    }
    expect(throttled.some(Boolean)).toBe(true);
  });

  it('does not re-send to a recipient already delivered when a worker dies between two destinations', async () => {
    const first = await startWorkerProcess(workerEnv({ JOB_LOCK_MS: '1000' }));
    running.push(first);
    // The moment the worker starts on the second destination, it is killed (kill -9).
    let killed = false;
    env.sink.replyWith(({ stage, rcpt }) => {
      if (stage === 'rcpt' && rcpt === 'second@two.test' && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
        return { code: 451, message: '4.3.0 connection going away' };
      }
      return undefined;
    });
    const response = await env.platform.send(sampleEmail({ to: ['first@one.test', 'second@two.test'] }));
    const { id } = (await response.json()) as { id: string };
    await first.exited;
    expect(env.sink.messages.map((m) => m.envelope.rcptTo)).toEqual([['first@one.test']]);

    running.push(await startWorkerProcess(workerEnv({ JOB_LOCK_MS: '1000' })));
    await waitForEmail(env.platform, id, 'delivered', 30_000);
    await waitUntil(() => env.sink.messages.length >= 2);
    const recipients = env.sink.messages.flatMap((m) => m.envelope.rcptTo);
    expect(recipients.filter((r) => r === 'first@one.test')).toHaveLength(1);
    expect(recipients).toContain('second@two.test');
  });
});
