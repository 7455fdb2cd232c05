import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseVerp, verpAddress } from './verp';

const ID = '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b';

describe('verpAddress', () => {
  it('puts the message id in the local part', () => {
    expect(verpAddress(ID, 'Bounces.Acme.test')).toBe(`b+${ID}@bounces.acme.test`);
  });

  it('keeps a UUID local part within the RFC 5321 limit of 64 octets', () => {
    const local = verpAddress(randomUUID(), 'bounces.acme.test').split('@')[0] ?? '';
    expect(local.length).toBeLessThanOrEqual(64);
  });

  it('refuses ids that would need quoting or exceed 64 octets', () => {
    expect(() => verpAddress('a b', 'acme.test')).toThrow(RangeError);
    expect(() => verpAddress('x@y', 'acme.test')).toThrow(RangeError);
    expect(() => verpAddress('a'.repeat(63), 'acme.test')).toThrow(RangeError);
    expect(() => verpAddress(ID, '')).toThrow(RangeError);
  });
});

describe('parseVerp', () => {
  it('round-trips verpAddress', () => {
    expect(parseVerp(verpAddress(ID, 'bounces.acme.test'))).toBe(ID);
  });

  it('is case-insensitive and returns the id lower-case', () => {
    expect(parseVerp(`B+${ID.toUpperCase()}@BOUNCES.ACME.TEST`)).toBe(ID);
  });

  it('tolerates angle brackets and display names', () => {
    expect(parseVerp(`<b+${ID}@bounces.acme.test>`)).toBe(ID);
    expect(parseVerp(`"Acme Bounces" <b+${ID}@bounces.acme.test>`)).toBe(ID);
    expect(parseVerp(`  b+${ID}@bounces.acme.test  `)).toBe(ID);
  });

  it('returns undefined for addresses that are not VERP return paths', () => {
    expect(parseVerp('hello@acme.test')).toBeUndefined();
    expect(parseVerp('b+@acme.test')).toBeUndefined();
    expect(parseVerp(`b+${ID}`)).toBeUndefined();
    expect(parseVerp('bounce+abc@acme.test')).toBeUndefined();
    expect(parseVerp('b+a.b@acme.test')).toBeUndefined();
    expect(parseVerp('<>')).toBeUndefined();
    expect(parseVerp('')).toBeUndefined();
  });
});
