import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot';
import { extendLayout, type ClusterFacts, type SlotRange } from './partition-layout';

// What `redis-cli --cluster create` gives three masters.
const EVEN: SlotRange[] = [
  { start: 0, end: 5460, master: 'A' },
  { start: 5461, end: 10922, master: 'B' },
  { start: 10923, end: 16383, master: 'C' },
];
const cluster = (slots: SlotRange[] = EVEN, occupied: number[] = []): ClusterFacts => ({
  slots,
  occupied: new Set(occupied),
});
const ownerOf = (slots: SlotRange[]) => (prefix: string) =>
  slots.find((r) => r.start <= keySlot(prefix) && keySlot(prefix) <= r.end)?.master;
const perMaster = (layout: string[], slots: SlotRange[] = EVEN) => {
  const counts: Record<string, number> = {};
  for (const prefix of layout) {
    const master = ownerOf(slots)(prefix) ?? '?';
    counts[master] = (counts[master] ?? 0) + 1;
  }
  return counts;
};

describe('extendLayout on a single Redis', () => {
  it("keeps today's names, so existing deployments are unchanged", () => {
    expect(extendLayout('bench', [], 3, null)).toEqual(['{bench}', '{bench-p1}', '{bench-p2}']);
    expect(extendLayout(undefined, [], 2, null)).toEqual(['{mail-queue}', '{mail-queue-p1}']);
  });
});

describe('extendLayout on Redis Cluster', () => {
  it('puts three partitions on three masters where the plain names put two on one', () => {
    // {bench-p1} and {bench-p2} are both served by B (slots 5819 and 9944).
    const layout = extendLayout('bench', [], 3, cluster());
    expect(layout.slice(0, 2)).toEqual(['{bench}', '{bench-p1}']);
    expect(layout[2]).toMatch(/^\{bench-p2\.\d+\}$/);
    expect(perMaster(layout)).toEqual({ A: 1, B: 1, C: 1 });
    // The shipped namespace: {mail-queue-p1} and {mail-queue-p2} both on B, A none.
    const shipped = extendLayout(undefined, [], 3, cluster());
    expect(shipped[0]).toBe('{mail-queue}');
    expect(perMaster(shipped)).toEqual({ A: 1, B: 1, C: 1 });
  });

  it('spreads any count evenly, and a master with few slots gets its share too', () => {
    expect(perMaster(extendLayout('mq', [], 12, cluster()))).toEqual({ A: 4, B: 4, C: 4 });
    const skewed: SlotRange[] = [
      { start: 0, end: 99, master: 'A' },
      { start: 100, end: 16283, master: 'B' },
      { start: 16284, end: 16383, master: 'C' },
    ];
    expect(perMaster(extendLayout('mq', [], 6, cluster(skewed)), skewed)).toEqual({ A: 2, B: 2, C: 2 });
  });

  it('gives the spare partition to a master other than the namespace’s, which serves the other queues', () => {
    const layout = extendLayout('bench', [], 4, cluster());
    expect(ownerOf(EVEN)('{bench}')).toBe('A');
    expect(perMaster(layout).A).toBe(1);
  });

  it('grows without renaming: existing entries are kept, even after a reshard moved their slots', () => {
    const three = extendLayout('bench', [], 3, cluster());
    expect(extendLayout('bench', three, 4, cluster()).slice(0, 3)).toEqual(three);
    // Choosing afresh gives the same names, so processes starting at once agree.
    expect(extendLayout('bench', [], 4, cluster())).toEqual(extendLayout('bench', three, 4, cluster()));
    const resharded: SlotRange[] = [
      { start: 0, end: 8000, master: 'A' },
      { start: 8001, end: 16383, master: 'C' },
    ];
    expect(extendLayout('bench', three, 5, cluster(resharded)).slice(0, 3)).toEqual(three);
  });

  it('never shrinks: a lower QUEUE_PARTITIONS leaves the stored partitions in place', () => {
    const four = extendLayout('bench', [], 4, cluster());
    expect(extendLayout('bench', four, 2, cluster())).toEqual(four);
  });

  it('keeps the old names of partitions that already hold keys, even beyond QUEUE_PARTITIONS', () => {
    const layout = extendLayout('bench', [], 3, cluster(EVEN, [1, 2, 5]));
    expect(layout.slice(0, 3)).toEqual(['{bench}', '{bench-p1}', '{bench-p2}']);
    expect(layout[5]).toBe('{bench-p5}');
    expect(layout).toHaveLength(6);
    // Partitions 3 and 4 are new: they go to C, which holds none of the kept ones.
    expect(ownerOf(EVEN)(layout[3] as string)).toBe('C');
  });

  it('chooses names BullMQ accepts as prefixes and no other namespace can have', () => {
    for (const prefix of extendLayout('mail-queue', [], 64, cluster())) {
      expect(prefix).toMatch(/^\{mail-queue(-p\d+(\.\d+)?)?\}$/);
    }
  });
});
