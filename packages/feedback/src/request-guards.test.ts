import { describe, expect, it } from 'vitest';
import { basicAuthMatches, ipMatcher } from './request-guards';

const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('basicAuthMatches', () => {
  it('accepts exactly the configured user and password', () => {
    expect(basicAuthMatches(basic('postmark:s3cret:with:colons'), 'postmark', 's3cret:with:colons')).toBe(
      true,
    );
    expect(
      basicAuthMatches(`basic   ${Buffer.from('postmark:pw').toString('base64')}`, 'postmark', 'pw'),
    ).toBe(true);
  });

  it('refuses wrong, partial, missing or non-Basic credentials', () => {
    expect(basicAuthMatches(basic('postmark:wrong'), 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches(basic('other:pw'), 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches(basic('postmark:p'), 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches(basic('postmark:pw2'), 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches(basic('postmarkpw'), 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches(basic(':'), '', '')).toBe(true); // what was configured, however unwise
    expect(basicAuthMatches(basic('nocolon'), '', '')).toBe(false);
    expect(basicAuthMatches(undefined, 'postmark', 'pw')).toBe(false);
    expect(basicAuthMatches('Bearer abc', 'postmark', 'pw')).toBe(false);
  });
});

describe('ipMatcher', () => {
  const allowed = ipMatcher(['3.134.147.250', '50.31.156.0/24', '2001:db8::/32']);

  it('matches single addresses and CIDR ranges of both families', () => {
    expect(allowed('3.134.147.250')).toBe(true);
    expect(allowed('50.31.156.77')).toBe(true);
    expect(allowed('2001:db8:1::5')).toBe(true);
  });

  it('matches IPv4-mapped IPv6 peers against IPv4 entries', () => {
    expect(allowed('::ffff:50.31.156.6')).toBe(true);
    expect(allowed('::ffff:50.31.157.6')).toBe(false);
  });

  it('refuses other and malformed addresses', () => {
    expect(allowed('3.134.147.251')).toBe(false);
    expect(allowed('50.31.157.1')).toBe(false);
    expect(allowed('2001:db9::1')).toBe(false);
    expect(allowed('not-an-ip')).toBe(false);
    expect(allowed('')).toBe(false);
  });

  it('rejects entries that are not IPs or CIDRs', () => {
    for (const entry of ['postmarkapp.com', '10.0.0.0/33', '10.0.0.0/8/8', '2001:db8::/129', '10.0.0.0/x']) {
      expect(() => ipMatcher([entry])).toThrow(TypeError);
    }
  });
});
