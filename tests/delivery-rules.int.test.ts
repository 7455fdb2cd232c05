import { DestinationLimiter, policyFor } from '@mailq/store';
import { afterEach, describe, expect, it } from 'vitest';
import { sendOk, statusOf, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

// The clock both relay and workers read: tests move it forward instead of waiting days.
let clockOffsetMs = 0;
const env = useTestPlatform({
  now: () => new Date(Date.now() + clockOffsetMs),
  workerEnv: { SMTP_TIMEOUT_MS: '700' },
});

afterEach(() => {
  clockOffsetMs = 0;
  env.sink.clear();
});

describe('delivery rules', () => {
  it('retries a 4xx until the message lifetime is spent, then fails with the last reply', async () => {
    env.sink.replyWith(({ stage }) =>
      stage === 'data' ? { code: 451, message: '4.4.1 Try later' } : undefined,
    );
    const id = await sendOk(env.platform, sampleEmail({ to: 'late@lifetime.test' }));
    await waitForEmail(env.platform, id, (e) => e.events.some((ev) => ev.type === 'deferred'));
    expect((await statusOf(env.platform, id)).status).not.toBe('failed');

    clockOffsetMs = 5 * 24 * 3600 * 1000 + 60_000; // just past the default 5-day lifetime
    const email = await waitForEmail(env.platform, id, 'failed');
    const failed = email.events.find((e) => e.type === 'failed');
    expect(failed?.detail).toContain('lifetime exhausted');
    expect(failed?.reply).toContain('451');
    expect(env.sink.messages).toHaveLength(0);
  });

  it('retries only the recipient that was deferred at RCPT', async () => {
    env.sink.replyWith(({ stage, rcpt, attempt }) =>
      stage === 'rcpt' && rcpt === 'second@partial.test' && attempt <= 2
        ? { code: 452, message: '4.2.2 Mailbox busy' }
        : undefined,
    );
    const id = await sendOk(env.platform, sampleEmail({ to: ['first@partial.test', 'second@partial.test'] }));
    const email = await waitForEmail(env.platform, id, 'delivered');
    expect(email.recipients.map((r) => r.status)).toEqual(['delivered', 'delivered']);
    expect(env.sink.messages.map((m) => m.envelope.rcptTo)).toEqual([
      ['first@partial.test'],
      ['second@partial.test'],
    ]);
    expect(email.events.some((e) => e.type === 'deferred' && e.recipient === 'second@partial.test')).toBe(
      true,
    );
  });

  it('records a timeout after the final dot as ambiguous and retries with the same Message-ID', async () => {
    env.sink.afterData('stall');
    const id = await sendOk(env.platform, sampleEmail({ to: 'patient@ambiguous.test' }));
    const email = await waitForEmail(env.platform, id, 'delivered', 20_000);
    const deferred = email.events.find((e) => e.type === 'deferred');
    expect(deferred?.detail).toContain('ambiguous');
    // The stalled copy may well have arrived: both carry the one Message-ID, so the receiver can de-duplicate.
    expect(env.sink.messages).toHaveLength(2);
    expect(new Set(env.sink.messages.map((m) => m.parsed.messageId))).toEqual(new Set([email.message_id]));
  });

  it('retries when the receiver drops the connection after the message body', async () => {
    env.sink.afterData('drop');
    const id = await sendOk(env.platform, sampleEmail({ to: 'flaky@dropped.test' }));
    const email = await waitForEmail(env.platform, id, 'delivered', 20_000);
    expect(email.events.find((e) => e.type === 'deferred')?.reply).toMatch(/ECONNECTION|ESOCKET|closed/i);
    expect(env.sink.messages).toHaveLength(1);
    expect(env.sink.messages[0]?.parsed.messageId).toBe(email.message_id);
  });

  it('treats 5.7.1 as a policy bounce that never suppresses the recipient', async () => {
    env.sink.replyWith(({ stage }) =>
      stage === 'data' ? { code: 550, message: '5.7.1 Message rejected: sender reputation' } : undefined,
    );
    const id = await sendOk(env.platform, sampleEmail({ to: 'guarded@policy.test' }));
    const email = await waitForEmail(env.platform, id, 'bounced');
    expect(email.events.find((e) => e.type === 'bounced')?.detail).toContain('5.7');
    const suppressed = await env.platform.stores.suppressions.find(
      (await env.platform.stores.apiKeys.resolve(env.platform.keyA))?.tenantId ?? '',
      ['guarded@policy.test'],
    );
    expect(suppressed.size).toBe(0);
  });

  it('slows a destination down after a 421 and still delivers', async () => {
    env.sink.failNext('data', { code: 421, message: '4.7.0 Too many messages, slow down' });
    const id = await sendOk(env.platform, sampleEmail({ to: 'busy@slow.test' }));
    await waitForEmail(env.platform, id, 'delivered');
    const limiter = new DestinationLimiter(env.platform.redis, {
      namespace: env.platform.namespace,
      policyFor: (domain) => policyFor(domain, {}),
    });
    const status = await limiter.status('slow.test');
    expect(status.slowdown?.factor).toBe(0.5);
    expect(status.messagesPerSecond).toBeLessThan(status.policy.messagesPerSecond);
  });
});
