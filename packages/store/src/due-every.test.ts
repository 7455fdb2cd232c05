import { describe, expect, it } from 'vitest';
import { dueEvery } from './due-every';

describe('dueEvery', () => {
  it('is due the first time, then once per period, per key', () => {
    const due = dueEvery(60_000);
    expect(due('t1', 1_000)).toBe(true);
    expect(due('t1', 60_999)).toBe(false);
    expect(due('t2', 61_000)).toBe(true);
    expect(due('t1', 61_000)).toBe(true);
    expect(due('t1', 61_001)).toBe(false);
  });
});
