import type { LookupFunction } from 'node:net';

/**
 * A `dns.lookup` stand-in answering from a table, so tests can make any name
 * resolve to a private address without touching real DNS. Unknown names fail
 * with ENOTFOUND, as getaddrinfo would. Test-only; not exported by the package.
 */
export function fixedResolver(answers: Record<string, string[]>, calls: string[] = []): LookupFunction {
  return (hostname, options, callback) => {
    calls.push(hostname);
    const found = answers[hostname];
    if (found === undefined) {
      const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
      error.code = 'ENOTFOUND';
      return callback(error, '');
    }
    const addresses = found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    const [first] = addresses;
    if (options.all === true || first === undefined) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
}
