import { dkimTxtValue } from './dkim-keys';

/** What a DNS record is for in a sending-domain setup. */
export type DnsRecordPurpose = 'dkim' | 'spf' | 'dmarc' | 'return_path';

/** A record the domain owner is asked to publish. */
export interface DnsRecord {
  purpose: DnsRecordPurpose;
  type: 'TXT' | 'CNAME' | 'MX';
  /** Fully qualified owner name, lower case, without trailing dot. */
  name: string;
  value: string;
}

/** Where the platform receives bounces and which SPF record lists its sending IPs. */
export interface DomainRecordOptions {
  /** Host that receives bounces for every customer domain, e.g. `"bounces.mailq.example"`. */
  returnPathHost: string;
  /** The platform's SPF record to include, e.g. `"_spf.mailq.example"`. */
  spfInclude: string;
}

/** Lower-cases a domain and drops the trailing root dot. */
export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * The records a customer publishes to send as `domain`:
 * - DKIM key TXT at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.2.1);
 * - SPF TXT at the domain authorising the platform's IPs (RFC 7208). `~all`, not `-all`: we
 *   do not know the domain's other senders. A domain may have only one SPF record (RFC 7208
 *   §3.2), so owners with one already add the `include:` to it;
 * - DMARC TXT at `_dmarc.<domain>` with `p=none` (RFC 7489 §6.3: monitor only). Starting
 *   with enforcement would reject the domain's mail from every service not yet aligned — the
 *   office suite, a CRM — so owners move to quarantine/reject once reports look clean. Gmail and
 *   Yahoo require a DMARC record from bulk senders, and `p=none` satisfies that;
 * - return path CNAME `bounces.<domain>` → `returnPathHost`, so the envelope sender is in the
 *   customer's domain (SPF alignment for DMARC, RFC 7489 §3.1.2) while bounces reach us.
 */
export function sendingDomainRecords(
  domain: string,
  dkim: { selector: string; publicKeyBase64: string },
  options: DomainRecordOptions,
): DnsRecord[] {
  const name = normaliseDomain(domain);
  return [
    {
      purpose: 'dkim',
      type: 'TXT',
      name: `${dkim.selector.toLowerCase()}._domainkey.${name}`,
      value: dkimTxtValue(dkim.publicKeyBase64),
    },
    {
      purpose: 'spf',
      type: 'TXT',
      name,
      value: `v=spf1 include:${normaliseDomain(options.spfInclude)} ~all`,
    },
    { purpose: 'dmarc', type: 'TXT', name: `_dmarc.${name}`, value: 'v=DMARC1; p=none;' },
    {
      purpose: 'return_path',
      type: 'CNAME',
      name: `bounces.${name}`,
      value: normaliseDomain(options.returnPathHost),
    },
  ];
}
