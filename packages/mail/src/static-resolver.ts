import type { DnsResolver, MxRecord } from './dns-resolver';

/** Fixed answers for {@link staticResolver}, keyed by name. */
export interface StaticRecords {
  mx?: Record<string, MxRecord[]>;
  a?: Record<string, string[]>;
  aaaa?: Record<string, string[]>;
  txt?: Record<string, string[][]>;
  cname?: Record<string, string[]>;
}

/** A {@link DnsResolver} over fixed answers, plus `setTxt` to publish a record mid-test. */
export type StaticResolver = DnsResolver & {
  /** Replaces the TXT records at `name`; an empty list unpublishes them. */
  setTxt(name: string, values: string[][]): void;
};

// DNS names compare case-insensitively (RFC 4343 §3) and "example.com." is "example.com".
function key(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function table<T>(records: Record<string, T[]> = {}): Map<string, T[]> {
  return new Map(Object.entries(records).map(([name, values]) => [key(name), values]));
}

/**
 * A resolver with fixed answers for tests and development. Lookups ignore case and a trailing
 * dot; a missing name answers `[]`, like a real NXDOMAIN through {@link systemResolver}.
 * Answers are copies, so callers cannot change what the next lookup sees.
 */
export function staticResolver(records: StaticRecords = {}): StaticResolver {
  const mx = table(records.mx);
  const a = table(records.a);
  const aaaa = table(records.aaaa);
  const txt = table(records.txt);
  const cname = table(records.cname);
  const lookup = async <T>(from: Map<string, T[]>, name: string): Promise<T[]> =>
    structuredClone(from.get(key(name)) ?? []);

  return {
    resolveMx: (domain) => lookup(mx, domain),
    resolve4: (host) => lookup(a, host),
    resolve6: (host) => lookup(aaaa, host),
    resolveTxt: (name) => lookup(txt, name),
    resolveCname: (name) => lookup(cname, name),
    setTxt(name, values) {
      txt.set(key(name), structuredClone(values));
    },
  };
}
