import { describe, expect, it } from 'vitest';
import { keySlot } from './key-slot';

describe('keySlot', () => {
  it('gives the Redis Cluster specification reference value', () => {
    expect(keySlot('123456789')).toBe(12739);
  });

  it('hashes only the hash tag, when there is a non-empty one', () => {
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('{user1000}.followers')).toBe(keySlot('user1000'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    // An empty tag does not count: the whole key is hashed.
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
  });

  it('agrees with the slots Redis reported for the queue prefixes (bench/RESULTS.md, section 8)', () => {
    expect(['{bench}', '{bench-p1}', '{bench-p2}'].map(keySlot)).toEqual([2933, 5819, 9944]);
    expect(['{mail-queue}', '{mail-queue-p1}', '{mail-queue-p2}'].map(keySlot)).toEqual([11378, 10893, 6894]);
  });
});
