import { CLUSTER_SLOTS, keySlot } from '@mailq/queues';
import { MAX_SHARDS } from './destination-policy';

const BITS = Math.log2(MAX_SHARDS);
const SLICE = CLUSTER_SLOTS / MAX_SHARDS;
// A shard's tag lands within this many slots of the start of its eighth, so neighbouring shards
// are 2048 ± 64 slots apart and a third of the ring (one of 3 even masters) holds 2 or 3 of them.
const WINDOW = 64;
// Past this many candidates a shard keeps its plain name (CLUSTER_SLOTS / WINDOW = 256 on average).
const MAX_CANDIDATES = 100_000;

// Tags found so far. Only split (high-volume) destinations have shards k > 0, but a high-volume
// wildcard policy splits every domain, so the memo is dropped whenever it grows past this.
const MAX_REMEMBERED = 10_000;
const chosen = new Map<string, string>();

/**
 * The hash tag of shard `shard` of a destination's limiter keys (`domain` normalised).
 *
 * Shard 0 is `dest:<domain>`, where operators' pauses live. Shard k > 0 lands at the start of its
 * own eighth of the slot ring, counted from shard 0's slot in bit-reversed order (k = 1 half-way
 * round, k = 2 and 3 at the quarters, then the eighths). So the shards of any split, 2 to 8 of
 * them, are spread evenly over the ring, and over the masters of a cluster whose masters serve even ranges of
 * slots: 8 shards fall 3/3/2 on 3 masters, where hashing alone can fall 1/3/4 or 1/5/2 and load
 * one master with most of a busy destination's limiter calls.
 *
 * The tag is the first of `dest:<domain>#k`, `dest:<domain>#k.1`, `#k.2`, … that lands there
 * ('#' is never in a domain). It depends on nothing
 * but its arguments — not on a cluster's slot map, which can change — so every process names
 * a shard alike, on one Redis and on Redis Cluster.
 */
export function shardTag(domain: string, shard: number): string {
  const plain = `dest:${domain}`;
  if (shard === 0) return plain;
  const cacheKey = `${domain}#${shard}`;
  const known = chosen.get(cacheKey);
  if (known !== undefined) return known;
  const start = (keySlot(`{${plain}}`) + reversed(shard) * SLICE) % CLUSTER_SLOTS;
  const inSlice = (tag: string) => (keySlot(`{${tag}}`) - start + CLUSTER_SLOTS) % CLUSTER_SLOTS < WINDOW;
  let tag = `${plain}#${shard}`;
  for (let n = 1; n < MAX_CANDIDATES && !inSlice(tag); n++) tag = `${plain}#${shard}.${n}`;
  if (!inSlice(tag)) tag = `${plain}#${shard}`;
  if (chosen.size >= MAX_REMEMBERED) chosen.clear();
  chosen.set(cacheKey, tag);
  return tag;
}

// 1 → 4, 2 → 2, 3 → 6, 4 → 1, … (for 8 slices): any first S shards are spread over the ring.
function reversed(shard: number): number {
  let out = 0;
  for (let bit = 0; bit < BITS; bit++) if (shard & (1 << bit)) out |= 1 << (BITS - 1 - bit);
  return out;
}
