import { randomUUID } from 'node:crypto';
import { partitionOf, type RedisClient } from '@mailq/queues';
import { DestinationKeys } from './destination-keys';
import {
  assertValidPolicy,
  normalizeDomain,
  shardPolicy,
  shardsOf,
  type DestinationPolicy,
} from './destination-policy';
import {
  parseAcquireReply,
  parseStatusReply,
  refusalOf,
  type DestinationStatus,
  type Refusal,
} from './limiter-replies';
import { cachedLookup } from '../cached-lookup';
import { replyFields } from '../lua-script';
import { ACQUIRE, SLOW_DOWN, STATUS } from './limiter-scripts';

/**
 * The slowest a slow-down can make a destination: one message per 10 s.
 * Still moving, so queued mail drains eventually instead of sitting behind a
 * rate that compounded towards zero; below that we would rather hit the
 * message's own retry schedule.
 */
export const SLOWDOWN_FLOOR_PER_SECOND = 0.1;

/**
 * A crashed worker's connection slot comes back after this. Twice the worker's
 * default SMTP_TIMEOUT_MS (60 s), so a slow but live send keeps its slot; raise
 * it with the option if that timeout is raised.
 */
export const DEFAULT_LEASE_TTL_MS = 120_000;

/** How soon mail held by an operator's pause of its destination is looked at again. */
export const PAUSED_RETRY_MS = 5_000;

/**
 * How long a worker trusts what it read of an operator's pause for the shards
 * k > 0 of a split destination (shard 0, and every unsplit destination, check
 * it inside the acquire script): a pause holds all of its mail within this.
 */
export const SHARD_PAUSE_CACHE_MS = 2_000;

/** Keys outlive the last moment they matter by this, so skewed clocks never lose live state. */
const GC_SLACK_MS = 60_000;

/** One connection slot held for one holder until released or expired. */
export interface Lease {
  readonly domain: string;
  readonly holder: string;
  /** Expiry in the limiter's clock (ms); the slot frees itself then. */
  readonly expiresAt: number;
  /** Gives the slot back. Idempotent; only ever removes this holder's entry, never another's slot. */
  release(): Promise<void>;
}

/** A lease, or why not and when to try again (defer the message, never drop it). */
export type AcquireResult = { ok: true; lease: Lease } | Refusal;

export interface DestinationLimiterOptions {
  /** Key prefix; tests use their own so they never share state. */
  namespace?: string;
  /** Policy per normalised domain, e.g. `(d) => policyFor(d, overrides)`. */
  policyFor: (domain: string) => DestinationPolicy;
  /** Clock port in ms; defaults to `Date.now`. */
  now?: () => number;
  /** How long an unreleased lease holds its slot (default {@link DEFAULT_LEASE_TTL_MS}). */
  leaseTtlMs?: number;
}

/**
 * Per-destination limits shared by every worker through Redis: at most
 * `messagesPerSecond` sends in any 1 s window (a sliding-window log; GCRA would
 * either forbid the burst or allow ~2× in some windows) and at most
 * `maxConnections` leases at once. Each check-and-record is one Lua script on
 * the destination's hash-tagged keys, so it is atomic on Redis and Cluster.
 *
 * Time comes from the `now` port, passed to the scripts, not Redis TIME: tests
 * drive it by hand. Workers therefore need NTP-synced clocks; a skew of δ moves
 * a send's window edge by δ (typically a few ms against a 1000 ms window) and a
 * lease's expiry by δ (against 120 s), which is acceptable for politeness limits.
 */
export class DestinationLimiter {
  private readonly keys: DestinationKeys;
  private readonly policyOf: (domain: string) => DestinationPolicy;
  private readonly now: () => number;
  private readonly leaseTtlMs: number;
  // Shard 0's pause flag, read through a short cache by the other shards' acquires.
  private readonly pausedByOperator: (domain: string) => Promise<boolean>;

  constructor(
    private readonly redis: RedisClient,
    options: DestinationLimiterOptions,
  ) {
    this.keys = new DestinationKeys(options.namespace);
    this.policyOf = options.policyFor;
    this.now = options.now ?? Date.now;
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
    this.pausedByOperator = cachedLookup(
      SHARD_PAUSE_CACHE_MS,
      async (domain) => (await this.redis.exists(this.keys.paused(domain))) === 1,
      { now: this.now },
    );
    if (!Number.isInteger(this.leaseTtlMs) || this.leaseTtlMs < 1) {
      throw new RangeError(`leaseTtlMs must be a positive integer, got ${this.leaseTtlMs}`);
    }
  }

  /**
   * Takes one send from the destination's rate budget and one connection slot,
   * both or neither. When refused nothing is recorded: the caller defers the
   * message for `retryAfterMs` (it is never dropped). `holder` identifies the
   * lease, e.g. the job id; a holder that already has one renews it.
   *
   * A destination split into shards is asked on the holder's shard first and,
   * if that one is full, on one other (two choices): holders never hash evenly,
   * and a full shard must not refuse mail the rest of the budget has room for.
   */
  async acquire(domain: string, holder: string): Promise<AcquireResult> {
    if (holder === '') throw new RangeError('acquire: holder must not be empty');
    const key = normalizeDomain(domain);
    const policy = this.policy(key);
    const shards = shardsOf(policy);
    if (shards === 1) return this.acquireOn(key, policy, holder, 0, 1);
    const first = partitionOf(holder, shards);
    const second = (first + 1 + partitionOf(`${holder}#2`, shards - 1)) % shards;
    const tried = await this.acquireOn(key, policy, holder, first, shards);
    if (tried.ok || tried.limit === 'paused') return tried;
    const other = await this.acquireOn(key, policy, holder, second, shards);
    if (other.ok || other.limit === 'paused') return other;
    return other.retryAfterMs < tried.retryAfterMs ? other : tried;
  }

  private async acquireOn(
    key: string,
    policy: DestinationPolicy,
    holder: string,
    shard: number,
    shards: number,
  ): Promise<AcquireResult> {
    if (shard > 0 && (await this.pausedByOperator(key))) {
      return {
        ok: false,
        limit: 'paused',
        retryAfterMs: PAUSED_RETRY_MS,
        reason: `${key}: paused by an operator`,
      };
    }
    const { messagesPerSecond, maxConnections } = shardPolicy(policy, shards);
    const sendId = `${holder}:${randomUUID()}`; // unique even for two sends of one holder in the same ms
    const floor = SLOWDOWN_FLOOR_PER_SECOND / shards;
    const args = [this.now(), messagesPerSecond, floor, maxConnections, holder];
    args.push(this.leaseTtlMs, sendId, GC_SLACK_MS, PAUSED_RETRY_MS);
    const keys = this.keys.all(key, shard);
    const reply = parseAcquireReply(replyFields(await ACQUIRE.run(this.redis, keys, args)));
    if (!reply.ok) return refusalOf(key, reply, { index: shard, of: shards });
    const leases = this.keys.leases(key, shard);
    const release = async (): Promise<void> => void (await this.redis.zrem(leases, holder));
    return { ok: true, lease: { domain: key, holder, expiresAt: reply.expiresAt, release } };
  }

  /**
   * After a 421/451 "slow down" reply: multiplies the destination's rate by
   * `factor` for `forMs`. Repeats while one is in force compound (0.5, 0.25, …)
   * and extend it, down to {@link SLOWDOWN_FLOOR_PER_SECOND}; once `forMs` has
   * passed without another, the policy rate is back in full.
   */
  async slowDown(domain: string, factor = 0.5, forMs = 300_000): Promise<{ factor: number; until: number }> {
    if (!(factor > 0 && factor <= 1))
      throw new RangeError(`slowDown: factor must be in (0, 1], got ${factor}`);
    if (!(forMs > 0)) throw new RangeError(`slowDown: forMs must be positive, got ${forMs}`);
    const key = normalizeDomain(domain);
    const policy = this.policy(key);
    const minFactor = Math.min(1, SLOWDOWN_FLOOR_PER_SECOND / policy.messagesPerSecond);
    const args = [this.now(), factor, forMs, minFactor, GC_SLACK_MS];
    // Every shard slows down alike (a 421 is about the destination, not about one shard).
    const replies = await Promise.all(
      Array.from({ length: shardsOf(policy) }, (_, shard) =>
        SLOW_DOWN.run(this.redis, [this.keys.slowdown(key, shard)], args),
      ),
    );
    const [next = '1', until = '0'] = replyFields(replies[0]);
    return { factor: Number(next), until: Number(until) };
  }

  /** What the limiter currently enforces for a destination, for the API and operators (shards added up). */
  async status(domain: string): Promise<DestinationStatus> {
    const key = normalizeDomain(domain);
    const policy = this.policy(key);
    const shards = shardsOf(policy);
    const part = shardPolicy(policy, shards);
    const args = [this.now(), part.messagesPerSecond, SLOWDOWN_FLOOR_PER_SECOND / shards];
    const statuses = await Promise.all(
      Array.from({ length: shards }, async (_, shard) =>
        parseStatusReply(
          key,
          policy,
          replyFields(await STATUS.run(this.redis, this.keys.all(key, shard), args)),
        ),
      ),
    );
    const [first] = statuses as [DestinationStatus, ...DestinationStatus[]];
    return {
      ...first,
      messagesPerSecond: first.messagesPerSecond * shards,
      budget: { limit: first.budget.limit * shards, windowMs: first.budget.windowMs },
      sentInWindow: statuses.reduce((sum, s) => sum + s.sentInWindow, 0),
      activeLeases: statuses.reduce((sum, s) => sum + s.activeLeases, 0),
    };
  }

  private policy(domain: string): DestinationPolicy {
    const policy = this.policyOf(domain);
    assertValidPolicy(domain, policy);
    return policy;
  }
}
