import { describe, expect, it } from 'vitest';
import { parseTrackingKeys } from './tracking-keys';

const S1 = 'first-secret-0123456789abcdefghijklmnop';
const S2 = 'c2Vjb25kLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm';

describe('parseTrackingKeys', () => {
  it('makes the first entry current and keeps the rest for verification, in order', () => {
    expect(parseTrackingKeys(`k2:${S2},k1:${S1}`)).toEqual({
      current: { id: 'k2', secret: S2 },
      previous: [{ id: 'k1', secret: S1 }],
    });
  });

  it('accepts a single key, whitespace around entries and ":" inside a secret', () => {
    expect(parseTrackingKeys(` k1:${S1}\n`)).toEqual({ current: { id: 'k1', secret: S1 }, previous: [] });
    expect(parseTrackingKeys(`a:${S1}:x, b:${S2}`).current.secret).toBe(`${S1}:x`);
  });

  it.each([
    ['', /TRACKING_KEYS is empty/],
    ['   ', /TRACKING_KEYS is empty/],
    [`k1:${S1},`, /entry 2 is empty/],
    [`k1${S1}`, /entry 1 has no ':'/],
    [`K1:${S1}`, /entry 1: key id "K1" must match \[a-z0-9\]\{1,8\}/],
    [`toolongid:${S1}`, /entry 1: key id "toolongid"/],
    [`:${S1}`, /entry 1: key id ""/],
    [`k1:${S1},k2:tooshort`, /entry 2: key "k2": secret must be at least 32 characters, got 8/],
    [`k1:${S1},k1:${S2}`, /entry 2: key id "k1" is listed twice/],
  ])('refuses %j', (env, message) => {
    expect(() => parseTrackingKeys(env)).toThrow(message);
  });

  it('never quotes a secret in its errors', () => {
    expect(() => parseTrackingKeys('k1:hunter2-but-too-short')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
