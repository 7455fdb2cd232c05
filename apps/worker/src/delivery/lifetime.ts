/**
 * The message lifetime (Postfix's maximal_queue_lifetime, 5 days by default):
 * how long transient failures are retried before the message fails. It runs
 * from the time the message became due — acceptance, or its scheduled time.
 */
export function deliveryDeadline(
  acceptedAt: string,
  scheduledAt: string | undefined,
  lifetimeMs: number,
): number {
  const due = Math.max(Date.parse(acceptedAt), scheduledAt ? Date.parse(scheduledAt) : 0);
  return due + lifetimeMs;
}

/**
 * The delay before the next attempt: the backoff, but never past the deadline,
 * so the last attempt happens at the end of the lifetime rather than after it.
 */
export function nextAttemptDelay(backoffMs: number, now: number, deadline: number): number {
  return Math.max(0, Math.min(backoffMs, deadline - now));
}

/** Human form of a duration for the timeline, e.g. "5 d", "3 h", "250 ms". */
export function formatDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms >= size) return `${Math.round(ms / size)} ${unit}`;
  return `${ms} ms`;
}
