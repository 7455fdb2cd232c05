const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * How long to wait after each failed attempt before the next one. The shape
 * follows Svix and Resend (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): quick
 * retries absorb a blip or a deploy, the long tail rides out a day-long outage,
 * and the total (about 27.6 h) covers DESIGN.md §3's "at least 24 h".
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

/** The first attempt plus one retry per delay. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_MS.length + 1;

const JITTER = 0.1;

/**
 * The delay before the next attempt, after `attemptsMade` attempts have failed
 * (1 after the first failure), with ±10 % jitter so endpoints that failed
 * together are not retried in lockstep. Past the schedule it returns the last
 * delay; callers stop at {@link WEBHOOK_MAX_ATTEMPTS}.
 *
 * @param random a source in [0, 1), injectable for deterministic tests.
 */
export function webhookRetryDelay(attemptsMade: number, random: () => number = Math.random): number {
  const index = Math.min(Math.max(Math.floor(attemptsMade), 1), WEBHOOK_RETRY_DELAYS_MS.length) - 1;
  const base = WEBHOOK_RETRY_DELAYS_MS[index] ?? 0;
  return Math.round(base * (1 + JITTER * (2 * random() - 1)));
}
