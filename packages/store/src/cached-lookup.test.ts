import { describe, expect, it, vi } from 'vitest';
import { cachedLookup } from './cached-lookup';

describe('cachedLookup', () => {
  it('asks once per key and period, and again once the period is over', async () => {
    let t = 1_000;
    const load = vi.fn(async (key: string) => `${key}@${t}`);
    const lookup = cachedLookup(5_000, load, { now: () => t });
    expect(await lookup('a')).toBe('a@1000');
    expect(await lookup('a')).toBe('a@1000');
    expect(await lookup('b')).toBe('b@1000');
    expect(load).toHaveBeenCalledTimes(2);
    t += 4_999;
    expect(await lookup('a')).toBe('a@1000');
    t += 1;
    expect(await lookup('a')).toBe('a@6000');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('remembers only what `keep` accepts, forgets a key on request, and stays within maxEntries', async () => {
    const load = vi.fn(async (key: string) => (key.startsWith('known') ? key : null));
    const lookup = cachedLookup(60_000, load, { keep: (v) => v !== null, maxEntries: 2 });
    expect(await lookup('unknown')).toBeNull();
    expect(await lookup('unknown')).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
    await lookup('known-1');
    lookup.forget('known-1');
    await lookup('known-1');
    expect(load).toHaveBeenCalledTimes(4);
    await lookup('known-2');
    await lookup('known-3'); // a third key: the memory starts over
    await lookup('known-1');
    expect(load).toHaveBeenCalledTimes(7);
  });
});
