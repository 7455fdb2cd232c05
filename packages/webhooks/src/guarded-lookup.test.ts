import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { BlockedAddressError, guardedLookup } from './guarded-lookup';
import { fixedResolver } from './test-support';

function resolveWith(lookup: LookupFunction, hostname: string, all: boolean) {
  return new Promise<{ error: Error | null; result: string | LookupAddress[]; family?: number }>(
    (resolve) => {
      lookup(hostname, { all }, (error, result, family) => resolve({ error, result, family }));
    },
  );
}

const resolver = fixedResolver({
  'public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.test': ['10.1.2.3'],
  'mixed.test': ['93.184.216.34', '192.168.0.7'],
  'loop.test': ['127.0.0.1'],
});

describe('guardedLookup', () => {
  it('passes public answers through in the shape the caller asked for', async () => {
    const lookup = guardedLookup(resolver, {});
    const one = await resolveWith(lookup, 'public.test', false);
    expect(one).toEqual({ error: null, result: '93.184.216.34', family: 4 });
    const all = await resolveWith(lookup, 'public.test', true);
    expect(all.result).toHaveLength(2);
  });

  it('refuses a private answer with a typed error naming host, address and reason', async () => {
    const { error } = await resolveWith(guardedLookup(resolver, {}), 'internal.test', false);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error?.message).toBe('blocked: internal.test resolves to 10.1.2.3, private (RFC 1918)');
  });

  it('refuses the whole answer when any address is forbidden', async () => {
    const { error } = await resolveWith(guardedLookup(resolver, {}), 'mixed.test', true);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error?.message).toContain('192.168.0.7');
  });

  it('applies the policy to resolved addresses', async () => {
    expect((await resolveWith(guardedLookup(resolver, {}), 'loop.test', false)).error).toBeInstanceOf(
      BlockedAddressError,
    );
    expect(await resolveWith(guardedLookup(resolver, { allowLoopback: true }), 'loop.test', false)).toEqual({
      error: null,
      result: '127.0.0.1',
      family: 4,
    });
  });

  it('asks the resolver for every address and passes resolver errors through', async () => {
    const seen: unknown[] = [];
    const spy: LookupFunction = (hostname, options, callback) => {
      seen.push(options.all);
      resolver(hostname, options, callback);
    };
    const { error } = await resolveWith(guardedLookup(spy, {}), 'nowhere.test', false);
    expect(seen).toEqual([true]);
    expect(error?.message).toBe('getaddrinfo ENOTFOUND nowhere.test');
  });

  it('accepts resolvers that answer with a single address string', async () => {
    const single: LookupFunction = (_hostname, _options, callback) => callback(null, '169.254.169.254', 4);
    const { error } = await resolveWith(guardedLookup(single, {}), 'metadata.test', false);
    expect(error?.message).toBe('blocked: metadata.test resolves to 169.254.169.254, cloud metadata');
  });
});
