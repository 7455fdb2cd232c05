import * as v from 'valibot';

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `POST /v1/domains`: a domain to send from. */
export const DomainInput = v.strictObject({
  name: v.pipe(
    v.string('name must be a domain name'),
    v.trim(),
    v.toLowerCase(),
    v.regex(HOSTNAME, 'name must be a domain name such as mail.example.com'),
  ),
});
export type DomainInput = v.InferOutput<typeof DomainInput>;

export const DnsRecord = v.object({
  purpose: v.picklist(['dkim', 'spf', 'dmarc', 'return_path']),
  type: v.picklist(['TXT', 'CNAME', 'MX']),
  name: v.string(),
  value: v.string(),
});
export type DnsRecord = v.InferOutput<typeof DnsRecord>;

export const DomainCheck = v.object({
  purpose: v.string(),
  ok: v.boolean(),
  expected: v.string(),
  found: v.optional(v.string()),
  detail: v.optional(v.string()),
});
export type DomainCheck = v.InferOutput<typeof DomainCheck>;

/** A sending domain: the DNS records to publish and whether they were found. */
export const Domain = v.object({
  id: v.string(),
  name: v.string(),
  status: v.picklist(['pending', 'verified']),
  dkim_selector: v.string(),
  records: v.array(DnsRecord),
  checks: v.optional(v.array(DomainCheck)),
  created_at: v.string(),
  verified_at: v.optional(v.string()),
});
export type Domain = v.InferOutput<typeof Domain>;
