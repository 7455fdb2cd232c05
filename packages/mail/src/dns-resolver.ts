import { Resolver } from 'node:dns/promises';

/** An MX record as returned by the resolver; `exchange` is `""` or `"."` for a null MX. */
export interface MxRecord {
  exchange: string;
  priority: number;
}

/**
 * The DNS port. Every lookup resolves to an empty array when the name has no such record
 * (NXDOMAIN or no data) and rejects on anything else (SERVFAIL, timeout), so "not published"
 * and "could not ask" never look alike.
 */
export interface DnsResolver {
  resolveMx(domain: string): Promise<MxRecord[]>;
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
  /** Each record is a list of character-strings (RFC 1035 §3.3.14), not yet concatenated. */
  resolveTxt(name: string): Promise<string[][]>;
  /**
   * Optional so resolvers written against the four lookups above still fit; without it the
   * return-path check of `verifySendingDomain` reports "not checked".
   */
  resolveCname?(name: string): Promise<string[]>;
}

/** Options for {@link systemResolver}; all default to the operating system's settings. */
export interface SystemResolverOptions {
  /** Name servers, e.g. `["127.0.0.1:5353"]`; defaults to the system's (`/etc/resolv.conf`). */
  servers?: string[];
  /** Per-query timeout in milliseconds; defaults to c-ares' own. */
  timeoutMs?: number;
  /** Attempts per server before giving up; defaults to c-ares' own (4). */
  tries?: number;
}

// c-ares reports NXDOMAIN as ENOTFOUND and an existing name without that type as ENODATA.
const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND']);

async function orEmpty<T>(lookup: Promise<T[]>): Promise<T[]> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof Error && 'code' in error && NO_RECORDS.has(String(error.code))) return [];
    throw error;
  }
}

/**
 * The production resolver, backed by `node:dns/promises` (c-ares, not `getaddrinfo`, so
 * `/etc/hosts` is not consulted — MX routing must follow public DNS).
 */
export function systemResolver(options: SystemResolverOptions = {}): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? -1, tries: options.tries ?? 4 });
  if (options.servers) resolver.setServers(options.servers);
  return {
    resolveMx: (domain) => orEmpty(resolver.resolveMx(domain)),
    resolve4: (host) => orEmpty(resolver.resolve4(host)),
    resolve6: (host) => orEmpty(resolver.resolve6(host)),
    resolveTxt: (name) => orEmpty(resolver.resolveTxt(name)),
    resolveCname: (name) => orEmpty(resolver.resolveCname(name)),
  };
}
