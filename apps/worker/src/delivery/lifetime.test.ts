import { describe, expect, it } from 'vitest';
import { emailBackoff } from '../retry-backoff';
import { deliveryDeadline, formatDuration, nextAttemptDelay } from './lifetime';

const DAY = 86_400_000;

describe('message lifetime', () => {
  it('runs from acceptance, or from the scheduled time when later', () => {
    expect(deliveryDeadline('2026-01-01T00:00:00Z', undefined, 5 * DAY)).toBe(
      Date.parse('2026-01-06T00:00:00Z'),
    );
    expect(deliveryDeadline('2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', 5 * DAY)).toBe(
      Date.parse('2026-01-08T00:00:00Z'),
    );
  });

  it('clips the next delay so the last attempt falls at the deadline', () => {
    expect(nextAttemptDelay(3_600_000, 1_000, 1_000 + 60_000)).toBe(60_000);
    expect(nextAttemptDelay(10_000, 0, DAY)).toBe(10_000);
    expect(nextAttemptDelay(10_000, DAY + 1, DAY)).toBe(0);
  });

  it('formats durations for the timeline', () => {
    expect(formatDuration(5 * DAY)).toBe('5 d');
    expect(formatDuration(90_000)).toBe('2 min');
    expect(formatDuration(250)).toBe('250 ms');
  });
});

describe('emailBackoff (the retry schedule)', () => {
  // The strategy reads only `data` of BullMQ's MinimalJob; the rest of a job is irrelevant here.
  const job = (acceptedAt: string) => ({
    data: {
      tenantId: 't',
      id: 'm',
      messageIdHeader: '<m@example.com>',
      acceptedAt,
      email: { from: 'a@example.com', to: ['b@example.com'], subject: 's', text: 't' },
    },
  });

  it('grows exponentially with jitter, capped by the maximum delay', () => {
    const accepted = '2026-01-01T00:00:00Z';
    const now = () => new Date('2026-01-01T00:00:00Z');
    const backoff = emailBackoff({ baseDelayMs: 1_000, maxDelayMs: 60_000 }, 5 * DAY, now);
    const delays = [1, 2, 3, 4, 10].map((attempt) => backoff(attempt, job(accepted) as never));
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThanOrEqual(1_000);
    expect(delays[3]).toBeGreaterThanOrEqual(4_000);
    expect(delays[3]).toBeLessThanOrEqual(8_000);
    expect(delays[4]).toBeLessThanOrEqual(60_000);
  });

  it('never schedules a retry past the lifetime', () => {
    const now = () => new Date('2026-01-05T23:59:30Z'); // 30 s before a 5-day lifetime ends
    const backoff = emailBackoff({ baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 }, 5 * DAY, now);
    expect(backoff(5, job('2026-01-01T00:00:00Z') as never)).toBe(30_000);
  });
});
