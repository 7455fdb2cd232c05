import { CLUSTER_SLOTS, keySlot } from '@mailq/queues';
import { describe, expect, it } from 'vitest';
import { MAX_SHARDS } from './destination-policy';
import { shardTag } from './shard-tags';

const DOMAINS = ['example.net', 'gmail.com', 'outlook.com', 'yahoo.com', 'mail.example.org', 'a.io'];
const slotOf = (tag: string) => keySlot(`{${tag}}`);
// The masters of `redis-cli --cluster create` with three masters (and of the test harness).
const masterOf = (slot: number) => (slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2);
// Which eighth of the ring, counted from shard 0's slot, a shard's tag lands in.
const eighthOf = (domain: string, shard: number) =>
  Math.floor(
    ((slotOf(shardTag(domain, shard)) - slotOf(shardTag(domain, 0)) + CLUSTER_SLOTS) % CLUSTER_SLOTS) /
      (CLUSTER_SLOTS / MAX_SHARDS),
  );

describe('shardTag', () => {
  it('keeps shard 0 on the plain tag, where operators pause a destination', () => {
    expect(shardTag('example.net', 0)).toBe('dest:example.net');
  });

  it('puts the 8 shards of a destination in the 8 eighths of the slot ring', () => {
    for (const domain of DOMAINS) {
      const eighths = Array.from({ length: MAX_SHARDS }, (_, k) => eighthOf(domain, k));
      expect(eighths).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
    }
  });

  it('spreads 8 shards 3/3/2 over three masters, where hashing alone gave example.net 1/3/4', () => {
    const perMaster = (tags: string[]) => {
      const counts = [0, 1, 2].map((master) => tags.filter((tag) => masterOf(slotOf(tag)) === master).length);
      return counts.sort();
    };
    const hashed = Array.from({ length: 8 }, (_, k) =>
      k === 0 ? 'dest:example.net' : `dest:example.net#${k}`,
    );
    expect(perMaster(hashed)).toEqual([1, 3, 4]);
    for (const domain of DOMAINS) {
      const tags = Array.from({ length: MAX_SHARDS }, (_, k) => shardTag(domain, k));
      expect(perMaster(tags)).toEqual([2, 3, 3]);
    }
  });

  it('spreads any smaller split too: 2 shards half the ring apart, 4 in the four quarters', () => {
    for (const domain of DOMAINS) {
      expect(eighthOf(domain, 1)).toBe(4);
      expect([0, 1, 2, 3].map((k) => Math.floor(eighthOf(domain, k) / 2)).sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it('names shard k `#k` or `#k.n`, the same every time', () => {
    const tags = DOMAINS.flatMap((domain) => Array.from({ length: 7 }, (_, i) => shardTag(domain, i + 1)));
    for (const [i, tag] of tags.entries()) expect(tag).toMatch(new RegExp(`#${(i % 7) + 1}(\\.\\d+)?$`));
    expect(DOMAINS.flatMap((domain) => Array.from({ length: 7 }, (_, i) => shardTag(domain, i + 1)))).toEqual(
      tags,
    );
  });
});
