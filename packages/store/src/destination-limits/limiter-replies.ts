import type { DestinationPolicy } from './destination-policy';

/** The sliding-window budget a script enforced: `limit` sends per `windowMs`. */
export interface SendBudget {
  limit: number;
  windowMs: number;
  /** Effective messages per second after any slow-down. */
  rate: number;
  /** Active slow-down multiplier; 1 when none. */
  factor: number;
}

export type AcquireReply = SendBudget &
  (
    | { ok: true; expiresAt: number }
    | { ok: false; kind: 'rate' | 'connections' | 'paused'; wait: number; count: number }
  );

/** What a destination's limits look like right now (for the API and operators). */
export interface DestinationStatus {
  domain: string;
  /** The configured policy, before any slow-down. */
  policy: DestinationPolicy;
  /** Effective messages per second after any slow-down. */
  messagesPerSecond: number;
  /** The window actually enforced: `limit` sends per `windowMs`. */
  budget: { limit: number; windowMs: number };
  /** Sends recorded in the current window. */
  sentInWindow: number;
  /** Unexpired connection leases. */
  activeLeases: number;
  /** The slow-down in force (`until` in the limiter's clock, ms), or null. */
  slowdown: { factor: number; until: number } | null;
}

/** Why a send must wait, and for how long; the caller defers the message (it is never dropped). */
export interface Refusal {
  ok: false;
  limit: 'rate' | 'connections' | 'paused';
  /** At least 1 ms. */
  retryAfterMs: number;
  /** e.g. "gmail.com: 10 messages/s limit" or "gmail.com: 5 connections in use". */
  reason: string;
}

/**
 * Ceiling on the wait suggested when all connections are taken. Leases end when
 * an SMTP transaction does, normally within a second or two, long before the
 * lease expiry that is the only hard bound we know.
 */
const CONNECTION_RETRY_MS = 1_000;

function numberAt(fields: readonly string[], index: number): number {
  const value = Number(fields[index]);
  if (fields[index] === undefined || Number.isNaN(value)) {
    throw new TypeError(`unexpected limiter script reply: ${JSON.stringify(fields)}`);
  }
  return value;
}

/** Parses ACQUIRE's `{ok, kind, wait-or-expiry, limit, window, rate, factor, count}`. */
export function parseAcquireReply(fields: readonly string[]): AcquireReply {
  const budget: SendBudget = {
    limit: numberAt(fields, 3),
    windowMs: numberAt(fields, 4),
    rate: numberAt(fields, 5),
    factor: numberAt(fields, 6),
  };
  if (fields[0] === '1') return { ...budget, ok: true, expiresAt: numberAt(fields, 2) };
  const kind = fields[1];
  if (kind !== 'rate' && kind !== 'connections' && kind !== 'paused') {
    throw new TypeError(`unexpected limiter script reply: ${JSON.stringify(fields)}`);
  }
  return { ...budget, ok: false, kind, wait: numberAt(fields, 2), count: numberAt(fields, 7) };
}

/** Parses STATUS's `{limit, window, rate, factor, until, sent, active}`. */
export function parseStatusReply(
  domain: string,
  policy: DestinationPolicy,
  fields: readonly string[],
): DestinationStatus {
  const factor = numberAt(fields, 3);
  return {
    domain,
    policy,
    messagesPerSecond: numberAt(fields, 2),
    budget: { limit: numberAt(fields, 0), windowMs: numberAt(fields, 1) },
    sentInWindow: numberAt(fields, 5),
    activeLeases: numberAt(fields, 6),
    slowdown: factor < 1 ? { factor, until: numberAt(fields, 4) } : null,
  };
}

/**
 * Turns a refused ACQUIRE reply into what the caller logs and waits for. For a
 * destination split into shards, `shard` says which one refused; the reply's
 * budget is that shard's, so the reason shows the destination's whole budget.
 */
export function refusalOf(
  domain: string,
  reply: Extract<AcquireReply, { ok: false }>,
  shard: { index: number; of: number } = { index: 0, of: 1 },
): Refusal {
  if (reply.kind === 'paused') {
    return {
      ok: false,
      limit: 'paused',
      retryAfterMs: reply.wait,
      reason: `${domain}: paused by an operator`,
    };
  }
  if (reply.kind === 'rate') {
    // Exact: the time until the send blocking the window leaves it.
    const retryAfterMs = Math.max(1, reply.wait);
    const whole = { ...reply, limit: reply.limit * shard.of, rate: reply.rate * shard.of };
    return { ok: false, limit: 'rate', retryAfterMs, reason: `${domain}: ${describeBudget(whole)}` };
  }
  const retryAfterMs = Math.max(1, Math.min(reply.wait, CONNECTION_RETRY_MS));
  return {
    ok: false,
    limit: 'connections',
    retryAfterMs,
    reason: `${domain}: ${reply.count} connections in use${shard.of > 1 ? ` (shard ${shard.index + 1} of ${shard.of})` : ''}`,
  };
}

/** "20 messages/s limit", "1 message per 10 s limit (slowed down ×0.005 after 421/451)". */
export function describeBudget(budget: SendBudget): string {
  const limit =
    budget.windowMs === 1000
      ? `${budget.limit} message${budget.limit === 1 ? '' : 's'}/s limit`
      : `1 message per ${budget.windowMs / 1000} s limit`;
  return budget.factor < 1 ? `${limit} (slowed down ×${budget.factor} after 421/451)` : limit;
}
