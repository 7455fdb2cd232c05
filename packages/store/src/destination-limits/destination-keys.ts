import { DEFAULT_NAMESPACE } from '@mailq/queues';
import { shardTag } from './shard-tags';

/**
 * The keys of one destination's limiter state. All carry the hash tag
 * `{dest:<domain>}`, so the Lua scripts that touch several of them stay in one
 * Redis Cluster slot, while different destinations spread over all masters. A
 * destination whose budget is split into shards (see `shardsOf`) has one such
 * set per shard, each on its own tag spread over the slot ring (`shardTag`),
 * so a busy destination's calls spread over the masters too.
 * `domain` must already be normalised (see `normalizeDomain`).
 */
export class DestinationKeys {
  constructor(readonly namespace: string = DEFAULT_NAMESPACE) {}

  /** All keys of one destination's shard, in the order the scripts take them as KEYS. */
  all(domain: string, shard = 0): [sends: string, leases: string, slowdown: string, paused: string] {
    return [
      this.sends(domain, shard),
      this.leases(domain, shard),
      this.slowdown(domain, shard),
      this.paused(domain, shard),
    ];
  }

  /**
   * STRING present while an operator holds mail to this destination (`mailq queue pause-domain`).
   * Operators set shard 0's; the limiter reads it for the other shards (see DestinationLimiter).
   */
  paused(domain: string, shard = 0): string {
    return `${this.tag(domain, shard)}:paused`;
  }

  /** ZSET of recent sends (member = unique send id, score = send time in ms). */
  sends(domain: string, shard = 0): string {
    return `${this.tag(domain, shard)}:sends`;
  }

  /** ZSET of connection leases (member = holder, score = lease expiry in ms). */
  leases(domain: string, shard = 0): string {
    return `${this.tag(domain, shard)}:leases`;
  }

  /** HASH `{ factor, until }` of an active slow-down after 421/451 replies. */
  slowdown(domain: string, shard = 0): string {
    return `${this.tag(domain, shard)}:slowdown`;
  }

  private tag(domain: string, shard: number): string {
    return `${this.namespace}:{${shardTag(domain, shard)}}`;
  }
}
