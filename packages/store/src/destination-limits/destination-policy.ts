/**
 * How hard one destination (recipient domain, or an MX provider name used as
 * the destination key) may be driven by the whole worker fleet together.
 */
export interface DestinationPolicy {
  /** Concurrent SMTP connections (leases) across all workers; a positive integer. */
  maxConnections: number;
  /** Messages per second across all workers; a positive number (below 1 means one per 1/x s). */
  messagesPerSecond: number;
}

/** Partial policies keyed by lower-cased domain, plus `*` for every domain not listed. */
export type DestinationOverrides = Readonly<Record<string, Partial<DestinationPolicy>>>;

/**
 * For a destination nobody told us about. 10 connections is KumoMTA's shipped
 * `connection_limit` default (assets/policy-extras/shaping.toml); 20 msg/s is
 * a fifth of its 100/s `max_message_rate` default, because here every message
 * takes its own lease rather than reusing a connection for up to 100 deliveries.
 */
export const DEFAULT_POLICY: Readonly<DestinationPolicy> = Object.freeze({
  maxConnections: 10,
  messagesPerSecond: 20,
});

const policy = (maxConnections: number, messagesPerSecond: number): Readonly<DestinationPolicy> =>
  Object.freeze({ maxConnections, messagesPerSecond });

// Google (support.google.com/mail/answer/81126) publishes no numbers but answers
// unknown or fast-ramping IPs with 421-4.7.28 "unusual rate"; KumoMTA ships a
// provider-wide limit of 5 connections for Google MX, which we take per domain.
const GOOGLE = policy(5, 10);
// Microsoft consumer mail defers new IPs with 421 4.7.650 "temporarily rate
// limited due to IP reputation" (one of KumoMTA's default deferral patterns);
// KumoMTA ships 5 connections for Outlook MX.
const MICROSOFT = policy(5, 5);
// Yahoo and AOL share Yahoo's MX and defer volume spikes with 421 [TSS04]
// (senders.yahooinc.com/best-practices): start small.
const YAHOO = policy(5, 5);
// Apple (support.apple.com/en-us/102322) also throttles unknown senders;
// KumoMTA allows just 5 deliveries per connection there.
const APPLE = policy(5, 5);

/**
 * Conservative starting points for the big mailbox providers, which throttle
 * new and unknown sending IPs (421/451 "try again later") long before any
 * published limit. Limits are per domain, so gmail.com and googlemail.com each
 * get a budget even though both land on Google MX; the values are low enough
 * that both together stay polite. Raise them per deployment through overrides
 * once the IPs have a reputation.
 */
export const PROVIDER_POLICIES: Readonly<Record<string, Readonly<DestinationPolicy>>> = Object.freeze({
  'gmail.com': GOOGLE,
  'googlemail.com': GOOGLE,
  'outlook.com': MICROSOFT,
  'hotmail.com': MICROSOFT,
  'live.com': MICROSOFT,
  'msn.com': MICROSOFT,
  'yahoo.com': YAHOO,
  'ymail.com': YAHOO,
  'aol.com': YAHOO,
  'icloud.com': APPLE,
  'me.com': APPLE,
  'mac.com': APPLE,
});

/**
 * The canonical form of a destination key: trimmed, lower-cased (domains are
 * case-insensitive, RFC 5321 §2.4) and without the root dot, so `Gmail.COM.`
 * and `gmail.com` share one budget. Throws on an empty key or one that would
 * break the Redis hash tag (`{`, `}`), a shard's key (`#`) or a log line (whitespace).
 */
export function normalizeDomain(domain: string): string {
  const normalized = domain.trim().toLowerCase().replace(/\.$/, '');
  if (normalized === '' || /[\s{}#]/.test(normalized)) {
    throw new RangeError(`not a destination domain: ${JSON.stringify(domain)}`);
  }
  return normalized;
}

/**
 * The policy for one destination: an override for the domain beats the
 * provider default, which beats the `*` override, which beats DEFAULT_POLICY.
 * Overrides may be partial; each layer only replaces the fields it sets.
 */
export function policyFor(domain: string, overrides: DestinationOverrides = {}): DestinationPolicy {
  const key = normalizeDomain(domain);
  const layers = [overrides['*'], PROVIDER_POLICIES[key], overrides[key]];
  const result: DestinationPolicy = { ...DEFAULT_POLICY };
  for (const layer of layers) {
    // Field by field: a programmatic `{ maxConnections: undefined }` must not erase a limit.
    if (layer?.maxConnections !== undefined) result.maxConnections = layer.maxConnections;
    if (layer?.messagesPerSecond !== undefined) result.messagesPerSecond = layer.messagesPerSecond;
  }
  return result;
}

/** Throws a RangeError naming the destination when a policy could never let a message through. */
export function assertValidPolicy(domain: string, candidate: DestinationPolicy): void {
  const { maxConnections, messagesPerSecond } = candidate;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new RangeError(`${domain}: maxConnections must be a positive integer, got ${maxConnections}`);
  }
  if (!Number.isFinite(messagesPerSecond) || messagesPerSecond <= 0) {
    throw new RangeError(`${domain}: messagesPerSecond must be a positive number, got ${messagesPerSecond}`);
  }
}

/** Most shards a destination's budget is split into. */
export const MAX_SHARDS = 8;
/** A shard gets at least this many messages per second and two connections of the budget. */
const SHARD_MIN_RATE = 50;

/**
 * How many shards a destination's budget is split into: 1 (the whole budget on
 * one set of keys) unless it is large enough that every shard still gets
 * SHARD_MIN_RATE msg/s and 2 connections. Each delivery then asks one shard
 * (by its holder), so a busy destination's limiter calls spread over the
 * cluster's masters instead of all landing on one; the shards' budgets add up
 * to at most the policy's. The defaults and the provider policies are far
 * below the threshold: only destinations configured for high volume are split.
 */
export function shardsOf(policy: DestinationPolicy): number {
  const byRate = Math.floor(policy.messagesPerSecond / SHARD_MIN_RATE);
  const byConnections = Math.floor(policy.maxConnections / 2);
  return Math.max(1, Math.min(MAX_SHARDS, byRate, byConnections));
}

/** One shard's part of a policy split `shards` ways (rounded down: the sum never exceeds it). */
export function shardPolicy(policy: DestinationPolicy, shards: number): DestinationPolicy {
  if (shards === 1) return policy;
  return {
    messagesPerSecond: policy.messagesPerSecond / shards,
    maxConnections: Math.floor(policy.maxConnections / shards),
  };
}
