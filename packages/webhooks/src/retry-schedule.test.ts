import { describe, expect, it } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS, webhookRetryDelay } from './retry-schedule';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('webhook retry schedule', () => {
  it('keeps retrying for at least 24 h, even when every delay is jittered down', () => {
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    expect(sum([...WEBHOOK_RETRY_DELAYS_MS])).toBeGreaterThanOrEqual(DAY_MS);
    const shortest = WEBHOOK_RETRY_DELAYS_MS.map((_, i) => webhookRetryDelay(i + 1, () => 0));
    expect(sum(shortest)).toBeGreaterThanOrEqual(DAY_MS);
  });

  it('allows one attempt more than there are delays', () => {
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(WEBHOOK_RETRY_DELAYS_MS.length + 1);
  });

  it('never shortens the wait from one retry to the next', () => {
    WEBHOOK_RETRY_DELAYS_MS.slice(1).forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(WEBHOOK_RETRY_DELAYS_MS[i] ?? Infinity);
    });
  });

  it('applies ±10 % jitter around the scheduled delay', () => {
    expect(webhookRetryDelay(1, () => 0.5)).toBe(5_000);
    expect(webhookRetryDelay(1, () => 0)).toBe(4_500);
    expect(webhookRetryDelay(1, () => 0.999999)).toBe(5_500);
    expect(webhookRetryDelay(2, () => 0.5)).toBe(5 * 60_000);
  });

  it('clamps out-of-range attempt counts to the schedule', () => {
    expect(webhookRetryDelay(0, () => 0.5)).toBe(WEBHOOK_RETRY_DELAYS_MS[0]);
    expect(webhookRetryDelay(99, () => 0.5)).toBe(WEBHOOK_RETRY_DELAYS_MS.at(-1));
  });
});
