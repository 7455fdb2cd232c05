import { parsePayload } from '@mailq/queues';
import type { MinimalJob } from 'bullmq';
import { deliveryDeadline, nextAttemptDelay } from './delivery/lifetime';

export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Jittered exponential backoff: base · 2^(attempt-1), capped, then scaled by a
 * random factor in [0.5, 1) so retries of many messages to one destination do
 * not arrive together. Computed in the worker, so operators tune it without
 * touching jobs already queued.
 */
export function retryDelayMs(
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1);
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped * (0.5 + random() / 2));
}

/**
 * BullMQ backoff strategy for email jobs: the jittered backoff, clipped so the
 * last retry happens at the end of the message lifetime, not after it.
 */
export function emailBackoff(policy: RetryPolicy, lifetimeMs: number, now: () => Date) {
  return function backoff(attemptsMade: number, job?: MinimalJob): number {
    const delay = retryDelayMs(attemptsMade, policy);
    if (!job) return delay;
    try {
      const data = parsePayload('email', job.data);
      const deadline = deliveryDeadline(data.acceptedAt, data.email.scheduled_at, lifetimeMs);
      return nextAttemptDelay(delay, now().getTime(), deadline);
    } catch {
      return delay;
    }
  };
}
