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
