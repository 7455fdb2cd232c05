import type { DnsResolver } from './dns-resolver';
import { normaliseDomain } from './domain-records';
import type { DnsRecord, DnsRecordPurpose } from './domain-records';

/** The outcome of checking one expected record against live DNS. */
export interface DomainCheck {
  purpose: DnsRecordPurpose;
  name: string;
  ok: boolean;
  /** What DNS holds (TXT strings joined), when anything relevant was found. */
  found?: string;
  expected: string;
  /** Why the check failed, or a warning. */
  detail?: string;
}

/** Result of {@link verifySendingDomain}. */
export interface DomainVerification {
  /** DKIM and SPF both pass; DMARC and return path are reported but only recommended. */
  verified: boolean;
  checks: DomainCheck[];
}

// RFC 6376 §3.6.2.2 and RFC 7208 §3.3: a TXT record's character-strings are joined without
// separators before parsing.
async function txt(resolver: DnsResolver, name: string): Promise<string[]> {
  return (await resolver.resolveTxt(name)).map((strings) => strings.join(''));
}

// tag-list (RFC 6376 §3.2): "tag=value" pairs separated by ";", whitespace around them ignored.
function tag(record: string, name: string): string | undefined {
  for (const pair of record.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim().toLowerCase() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

// The base64 of p= may contain folding whitespace (RFC 6376 §3.6.1).
const publicKey = (record: string) => tag(record, 'p')?.replace(/\s+/g, '');

async function checkDkim(resolver: DnsResolver, record: DnsRecord): Promise<DomainCheck> {
  const base = { purpose: record.purpose, name: record.name, expected: record.value };
  const found = await txt(resolver, record.name);
  if (found.length === 0) return { ...base, ok: false, detail: `no TXT record at ${record.name}` };
  const matching = found.filter((value) => publicKey(value) === publicKey(record.value));
  if (matching.length === 0) {
    return { ...base, ok: false, found: found.join(' | '), detail: 'TXT record has a different p= key' };
  }
  // RFC 6376 §3.6.2.2 lets a verifier pick any one of several key records, so a stale second
  // record fails a share of signatures at random.
  if (matching.length < found.length) {
    return {
      ...base,
      ok: false,
      found: found.join(' | '),
      detail: 'more than one TXT record at the selector',
    };
  }
  return { ...base, ok: true, found: matching[0] };
}

const SPF = /^v=spf1(\s|$)/i;
const includes = (record: string) =>
  record
    .split(/\s+/)
    .filter((term) => /^\+?include:/i.test(term))
    .map((term) => normaliseDomain(term.slice(term.indexOf(':') + 1)));

async function checkSpf(resolver: DnsResolver, record: DnsRecord): Promise<DomainCheck> {
  const base = { purpose: record.purpose, name: record.name, expected: record.value };
  const spf = (await txt(resolver, record.name)).filter((value) => SPF.test(value));
  if (spf.length === 0) return { ...base, ok: false, detail: `no v=spf1 TXT record at ${record.name}` };
  // RFC 7208 §4.5: more than one SPF record is a permerror for every receiver.
  if (spf.length > 1)
    return { ...base, ok: false, found: spf.join(' | '), detail: 'more than one v=spf1 record' };
  const [found = ''] = spf;
  const missing = includes(record.value).filter((domain) => !includes(found).includes(domain));
  if (missing.length > 0) {
    return {
      ...base,
      ok: false,
      found,
      detail: `SPF record lacks ${missing.map((d) => `include:${d}`).join(' ')}`,
    };
  }
  return { ...base, ok: true, found };
}

const DMARC = /^v\s*=\s*DMARC1\s*(;|$)/i;

async function checkDmarc(resolver: DnsResolver, record: DnsRecord): Promise<DomainCheck> {
  const base = { purpose: record.purpose, name: record.name, expected: record.value };
  // RFC 7489 §6.6.3: records not starting with v=DMARC1 are ignored; any existing policy,
  // including a stricter one than ours, is fine. Several records mean no policy at all.
  const dmarc = (await txt(resolver, record.name)).filter((value) => DMARC.test(value));
  if (dmarc.length === 0) return { ...base, ok: false, detail: `no v=DMARC1 TXT record at ${record.name}` };
  if (dmarc.length > 1)
    return { ...base, ok: false, found: dmarc.join(' | '), detail: 'more than one DMARC record' };
  return { ...base, ok: true, found: dmarc[0] };
}

async function checkReturnPath(resolver: DnsResolver, record: DnsRecord): Promise<DomainCheck> {
  const base = { purpose: record.purpose, name: record.name, expected: record.value };
  if (!resolver.resolveCname)
    return { ...base, ok: false, detail: 'not checked: resolver has no CNAME lookup' };
  const targets = (await resolver.resolveCname(record.name)).map(normaliseDomain);
  if (targets.length === 0) return { ...base, ok: false, detail: `no CNAME record at ${record.name}` };
  const ok = targets.includes(normaliseDomain(record.value));
  return { ...base, ok, found: targets.join(', '), ...(ok ? {} : { detail: 'CNAME points elsewhere' }) };
}

const CHECKS = { dkim: checkDkim, spf: checkSpf, dmarc: checkDmarc, return_path: checkReturnPath };

/**
 * Checks live DNS against the records from `sendingDomainRecords`. The domain is verified
 * when every DKIM and SPF check passes: those two are what sending needs (DKIM signs, SPF
 * authorises our IPs). DMARC and the return-path CNAME are reported as recommendations:
 * DMARC is the owner's policy decision, and the CNAME only adds SPF alignment, which DMARC
 * does not need when the DKIM signature aligns (RFC 7489 §4.2: either identifier suffices).
 *
 * DNS failures other than "no such record" reject: a resolver outage must not flip a verified
 * domain to unverified.
 *
 * @throws Error when a record is not at or under `domain` — records of another domain.
 */
export async function verifySendingDomain(
  resolver: DnsResolver,
  domain: string,
  records: DnsRecord[],
): Promise<DomainVerification> {
  const name = normaliseDomain(domain);
  const foreign = records.find((r) => {
    const owner = normaliseDomain(r.name);
    return owner !== name && !owner.endsWith(`.${name}`);
  });
  if (foreign) throw new Error(`DNS record ${foreign.name} does not belong to ${name}`);
  const checks = await Promise.all(records.map((record) => CHECKS[record.purpose](resolver, record)));
  const required = checks.filter((check) => check.purpose === 'dkim' || check.purpose === 'spf');
  const verified =
    required.some((c) => c.purpose === 'dkim') &&
    required.some((c) => c.purpose === 'spf') &&
    required.every((c) => c.ok);
  return { verified, checks };
}
