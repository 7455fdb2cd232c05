import { DEFAULT_NAMESPACE } from '@mailq/queues';

/**
 * The keys of one destination's limiter state. All carry the hash tag
 * `{dest:<domain>}`, so the Lua scripts that touch several of them stay in one
 * Redis Cluster slot, while different destinations spread over all masters.
 * `domain` must already be normalised (see `normalizeDomain`).
 */
export class DestinationKeys {
  constructor(readonly namespace: string = DEFAULT_NAMESPACE) {}

  /** All keys of one destination, in the order the scripts take them as KEYS. */
  all(domain: string): [sends: string, leases: string, slowdown: string, paused: string] {
    return [this.sends(domain), this.leases(domain), this.slowdown(domain), this.paused(domain)];
  }

  /** STRING present while an operator holds mail to this destination (`mailq queue pause-domain`). */
  paused(domain: string): string {
    return `${this.namespace}:{dest:${domain}}:paused`;
  }

  /** ZSET of recent sends (member = unique send id, score = send time in ms). */
  sends(domain: string): string {
    return `${this.namespace}:{dest:${domain}}:sends`;
  }

  /** ZSET of connection leases (member = holder, score = lease expiry in ms). */
  leases(domain: string): string {
    return `${this.namespace}:{dest:${domain}}:leases`;
  }

  /** HASH `{ factor, until }` of an active slow-down after 421/451 replies. */
  slowdown(domain: string): string {
    return `${this.namespace}:{dest:${domain}}:slowdown`;
  }
}
