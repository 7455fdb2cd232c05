import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isForbiddenAddress, type AddressPolicy } from './ssrf-guard';

/** A host name resolved to an address the policy forbids; no socket was opened. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';

  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: string,
  ) {
    super(`blocked: ${hostname} resolves to ${address}, ${reason}`);
  }
}

function normalise(result: string | LookupAddress[], family: number | undefined): LookupAddress[] {
  return typeof result === 'string' ? [{ address: result, family: family ?? isIP(result) }] : result;
}

/**
 * Wraps a `dns.lookup`-shaped resolver so that every answer is vetted by
 * {@link isForbiddenAddress} before Node connects. Passed as the `lookup`
 * option of `http.request`, the socket dials exactly the address checked
 * here, so DNS rebinding between a check and the connect cannot happen.
 *
 * All addresses are requested and each must pass: with one public and one
 * private answer, Node's happy-eyeballs (`autoSelectFamily`) could fall back
 * to the private one, so the whole answer is refused.
 */
export function guardedLookup(resolve: LookupFunction, policy: AddressPolicy): LookupFunction {
  return function lookupChecked(hostname, options, callback) {
    resolve(hostname, { ...options, all: true }, (error, result, family) => {
      if (error) return callback(error, '');
      const addresses = normalise(result, family);
      const first = addresses[0];
      if (first === undefined) {
        const empty: NodeJS.ErrnoException = new Error(`no addresses for ${hostname}`);
        empty.code = 'ENOTFOUND';
        return callback(empty, '');
      }
      for (const { address } of addresses) {
        const reason = isForbiddenAddress(address, policy);
        if (reason !== null) return callback(new BlockedAddressError(hostname, address, reason), '');
      }
      if (options.all === true) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
