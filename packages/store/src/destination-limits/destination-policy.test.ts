import { describe, expect, it } from 'vitest';
import { DestinationOverridesError, parseDestinationOverrides } from './destination-overrides';
import {
  DEFAULT_POLICY,
  MAX_SHARDS,
  PROVIDER_POLICIES,
  normalizeDomain,
  policyFor,
  shardPolicy,
  shardsOf,
} from './destination-policy';

const overrides = parseDestinationOverrides(
  '{"Example.COM":{"maxConnections":2,"messagesPerSecond":5},"gmail.com":{"messagesPerSecond":3},' +
    '"*":{"messagesPerSecond":50}}',
);

describe('policyFor', () => {
  it('uses the default policy for an unknown domain without overrides', () => {
    expect(policyFor('unknown.example')).toEqual(DEFAULT_POLICY);
  });

  it('uses the provider default for big mailbox providers, case-insensitively', () => {
    expect(policyFor('Hotmail.COM.')).toEqual(PROVIDER_POLICIES['hotmail.com']);
    expect(policyFor('googlemail.com')).toEqual(PROVIDER_POLICIES['gmail.com']);
    expect(PROVIDER_POLICIES['gmail.com']?.messagesPerSecond).toBeLessThan(DEFAULT_POLICY.messagesPerSecond);
  });

  it('lets a domain override beat the provider, field by field', () => {
    expect(policyFor('GMAIL.com', overrides)).toEqual({
      maxConnections: PROVIDER_POLICIES['gmail.com']?.maxConnections,
      messagesPerSecond: 3,
    });
    expect(policyFor('example.com', overrides)).toEqual({ maxConnections: 2, messagesPerSecond: 5 });
  });

  it('applies `*` only below provider defaults', () => {
    expect(policyFor('other.example', overrides)).toEqual({ maxConnections: 10, messagesPerSecond: 50 });
    expect(policyFor('yahoo.com', overrides)).toEqual(PROVIDER_POLICIES['yahoo.com']);
  });

  it('ignores explicitly undefined fields of programmatic overrides', () => {
    expect(policyFor('a.example', { 'a.example': { maxConnections: undefined } })).toEqual(DEFAULT_POLICY);
  });
});

describe('normalizeDomain', () => {
  it('lower-cases, trims and drops the root dot; refuses what would break a hash tag', () => {
    expect(normalizeDomain('  MX.Example.ORG. ')).toBe('mx.example.org');
    expect(() => normalizeDomain('')).toThrow(RangeError);
    expect(() => normalizeDomain('a}b.com')).toThrow(/not a destination domain/);
    expect(() => normalizeDomain('a b.com')).toThrow(RangeError);
    // '#' would make a domain's key look like another domain's shard (`{dest:<domain>#k}`).
    expect(() => normalizeDomain('example.net#1')).toThrow(RangeError);
  });
});

describe('parseDestinationOverrides', () => {
  const fails = (json: string): string => {
    try {
      parseDestinationOverrides(json);
    } catch (error) {
      expect(error).toBeInstanceOf(DestinationOverridesError);
      return error instanceof Error ? error.message : String(error);
    }
    throw new Error(`expected ${json} to be rejected`);
  };

  it('treats unset or blank as no overrides', () => {
    expect(parseDestinationOverrides(undefined)).toEqual({});
    expect(parseDestinationOverrides('  ')).toEqual({});
  });

  it('normalises domain keys and keeps `*`', () => {
    expect(Object.keys(overrides).sort()).toEqual(['*', 'example.com', 'gmail.com']);
  });

  it('names the variable on invalid JSON', () => {
    expect(fails('{"a.com":')).toMatch(/^DESTINATION_LIMITS is not valid JSON/);
  });

  it('rejects a non-object with a clear message', () => {
    expect(fails('[{"maxConnections":1}]')).toBe(
      'DESTINATION_LIMITS must be a JSON object keyed by domain or "*"',
    );
    expect(fails('"a.com"')).toMatch(/must be a JSON object/);
    expect(fails('{"a.com":5}')).toContain(
      'a.com: must be an object with maxConnections and/or messagesPerSecond',
    );
  });

  it('lists every bad value with its path', () => {
    const message = fails(
      '{"a.com":{"maxConnections":0},"b.com":{"messagesPerSecond":-1},"c.com":{"maxConnections":1.5}}',
    );
    expect(message).toContain('a.com.maxConnections: must be at least 1 (got 0)');
    expect(message).toContain('b.com.messagesPerSecond: must be greater than 0 (got -1)');
    expect(message).toContain('c.com.maxConnections: must be a whole number (got 1.5)');
  });

  it('rejects typos in field names and non-numbers', () => {
    expect(fails('{"a.com":{"messagesPerSec":5}}')).toContain('a.com.messagesPerSec');
    expect(fails('{"a.com":{"maxConnections":"5"}}')).toContain('a.com.maxConnections: must be a number');
    expect(fails('{"a.com":{"messagesPerSecond":1e400}}')).toContain('must be finite');
  });

  it('rejects keys that are not domains and duplicates after normalising', () => {
    expect(fails('{"":{}}')).toContain('not a destination domain');
    expect(fails('{"A.com":{},"a.com":{}}')).toContain('duplicates another entry for a.com');
  });
});

describe('shardsOf', () => {
  it('keeps the defaults and every provider policy on one shard', () => {
    expect(shardsOf(DEFAULT_POLICY)).toBe(1);
    for (const policy of Object.values(PROVIDER_POLICIES)) expect(shardsOf(policy)).toBe(1);
  });

  it('splits only what leaves every shard 50 msg/s and 2 connections, up to MAX_SHARDS', () => {
    expect(shardsOf({ messagesPerSecond: 99, maxConnections: 100 })).toBe(1);
    expect(shardsOf({ messagesPerSecond: 100, maxConnections: 100 })).toBe(2);
    expect(shardsOf({ messagesPerSecond: 1_000, maxConnections: 6 })).toBe(3);
    expect(shardsOf({ messagesPerSecond: 1_000_000, maxConnections: 100 })).toBe(MAX_SHARDS);
  });

  it('gives each shard a part that adds up to no more than the policy', () => {
    const policy = { messagesPerSecond: 1_000, maxConnections: 25 };
    const part = shardPolicy(policy, shardsOf(policy));
    expect(shardsOf(policy)).toBe(8);
    expect(Math.floor(part.messagesPerSecond) * 8).toBeLessThanOrEqual(1_000);
    expect(part.maxConnections * 8).toBeLessThanOrEqual(25);
    expect(part.maxConnections).toBe(3);
    expect(shardPolicy(DEFAULT_POLICY, 1)).toBe(DEFAULT_POLICY);
  });
});
