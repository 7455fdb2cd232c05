import { describe, it, expect } from 'vitest';
import type { DnsResolver } from './dns-resolver';
import { sendingDomainRecords } from './domain-records';
import { verifySendingDomain } from './domain-verification';
import { staticResolver } from './static-resolver';

const KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0';
const OTHER_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz';
const DOMAIN = 'acme.example';
const RECORDS = sendingDomainRecords(
  DOMAIN,
  { selector: 'mq202401', publicKeyBase64: KEY },
  { returnPathHost: 'bounces.mailq.example', spfInclude: '_spf.mailq.example' },
);
const DKIM_NAME = 'mq202401._domainkey.acme.example';

function publishAll() {
  const dns = staticResolver({ cname: { 'bounces.acme.example': ['bounces.mailq.example.'] } });
  // DNS hosts split long values into 255-byte character-strings
  dns.setTxt(DKIM_NAME, [[`v=DKIM1; k=rsa; p=${KEY.slice(0, 40)}`, KEY.slice(40)]]);
  dns.setTxt(DOMAIN, [
    ['google-site-verification=xyz'],
    ['v=spf1 ip4:192.0.2.0/24 include:_spf.google.com ', 'include:_spf.mailq.example -all'],
  ]);
  dns.setTxt(`_dmarc.${DOMAIN}`, [['v=DMARC1; p=reject; rua=mailto:dmarc@acme.example']]);
  return dns;
}

const check = (result: Awaited<ReturnType<typeof verifySendingDomain>>, purpose: string) =>
  result.checks.find((c) => c.purpose === purpose);

describe('verifySendingDomain', () => {
  it('reports every record missing before anything is published', async () => {
    const result = await verifySendingDomain(staticResolver(), DOMAIN, RECORDS);
    expect(result.verified).toBe(false);
    expect(result.checks.map((c) => [c.purpose, c.ok, c.detail])).toEqual([
      ['dkim', false, `no TXT record at ${DKIM_NAME}`],
      ['spf', false, 'no v=spf1 TXT record at acme.example'],
      ['dmarc', false, 'no v=DMARC1 TXT record at _dmarc.acme.example'],
      ['return_path', false, 'no CNAME record at bounces.acme.example'],
    ]);
  });

  it('verifies once DKIM and SPF are published, tolerating split strings and other mechanisms', async () => {
    const result = await verifySendingDomain(publishAll(), DOMAIN, RECORDS);
    expect(result.verified).toBe(true);
    expect(result.checks.every((c) => c.ok)).toBe(true);
    expect(check(result, 'dkim')?.found).toBe(`v=DKIM1; k=rsa; p=${KEY}`);
    expect(check(result, 'dmarc')?.found).toMatch(/p=reject/);
    expect(check(result, 'return_path')?.found).toBe('bounces.mailq.example');
  });

  it('does not require DMARC or the return path', async () => {
    const dns = staticResolver();
    dns.setTxt(DKIM_NAME, [[`v=DKIM1; k=rsa; p=${KEY}`]]);
    dns.setTxt(DOMAIN, [['v=spf1 +include:_SPF.mailq.example. ~all']]);
    const result = await verifySendingDomain(dns, DOMAIN, RECORDS);
    expect(result.verified).toBe(true);
    expect([check(result, 'dmarc')?.ok, check(result, 'return_path')?.ok]).toEqual([false, false]);
  });

  it.each([
    {
      name: 'a different DKIM key',
      txt: [[`v=DKIM1; k=rsa; p=${OTHER_KEY}`]],
      detail: 'TXT record has a different p= key',
    },
    {
      name: 'a stale second DKIM record',
      txt: [[`v=DKIM1; k=rsa; p=${KEY}`], [`v=DKIM1; k=rsa; p=${OTHER_KEY}`]],
      detail: 'more than one TXT record at the selector',
    },
  ])('fails DKIM for $name', async ({ txt, detail }) => {
    const dns = publishAll();
    dns.setTxt(DKIM_NAME, txt);
    const result = await verifySendingDomain(dns, DOMAIN, RECORDS);
    expect(result.verified).toBe(false);
    expect(check(result, 'dkim')).toMatchObject({ ok: false, detail });
  });

  it.each([
    {
      name: 'missing include',
      txt: [['v=spf1 include:_spf.google.com ~all']],
      detail: 'SPF record lacks include:_spf.mailq.example',
    },
    {
      name: 'two SPF records (permerror)',
      txt: [['v=spf1 include:_spf.mailq.example ~all'], ['v=spf1 include:_spf.google.com ~all']],
      detail: 'more than one v=spf1 record',
    },
    {
      name: 'include only as a substring',
      txt: [['v=spf1 include:_spf.mailq.example.evil ~all']],
      detail: 'SPF record lacks include:_spf.mailq.example',
    },
  ])('fails SPF for $name', async ({ txt, detail }) => {
    const dns = publishAll();
    dns.setTxt(DOMAIN, txt);
    const result = await verifySendingDomain(dns, DOMAIN, RECORDS);
    expect(result.verified).toBe(false);
    expect(check(result, 'spf')).toMatchObject({ ok: false, detail });
  });

  it('reports duplicate DMARC records and ignores non-DMARC TXT at _dmarc', async () => {
    const dns = publishAll();
    dns.setTxt('_dmarc.acme.example', [
      ['some-verification=1'],
      ['v=DMARC1; p=none'],
      ['v=DMARC1; p=reject'],
    ]);
    expect(check(await verifySendingDomain(dns, DOMAIN, RECORDS), 'dmarc')).toMatchObject({
      ok: false,
      detail: 'more than one DMARC record',
    });
    dns.setTxt('_dmarc.acme.example', [['some-verification=1'], ['v=DMARC1;p=quarantine']]);
    expect(check(await verifySendingDomain(dns, DOMAIN, RECORDS), 'dmarc')?.ok).toBe(true);
  });

  it('flags a return-path CNAME pointing elsewhere, and says when it cannot check', async () => {
    const elsewhere = { ...publishAll(), resolveCname: async () => ['bounces.other.example'] };
    expect(check(await verifySendingDomain(elsewhere, DOMAIN, RECORDS), 'return_path')).toMatchObject({
      ok: false,
      detail: 'CNAME points elsewhere',
    });
    const { resolveCname: _unused, ...withoutCname } = publishAll();
    const result = await verifySendingDomain(withoutCname, DOMAIN, RECORDS);
    expect(result.verified).toBe(true);
    expect(check(result, 'return_path')?.detail).toBe('not checked: resolver has no CNAME lookup');
  });

  it('is not verified when the SPF record is not among the expected records', async () => {
    const result = await verifySendingDomain(
      publishAll(),
      DOMAIN,
      RECORDS.filter((r) => r.purpose !== 'spf'),
    );
    expect(result.verified).toBe(false);
  });

  it('propagates DNS failures instead of reporting the domain unverified', async () => {
    const failing: DnsResolver = { ...publishAll(), resolveTxt: () => Promise.reject(new Error('SERVFAIL')) };
    await expect(verifySendingDomain(failing, DOMAIN, RECORDS)).rejects.toThrow('SERVFAIL');
  });

  it('refuses records of another domain', async () => {
    await expect(verifySendingDomain(publishAll(), 'other.example', RECORDS)).rejects.toThrow(
      /does not belong to other.example/,
    );
  });
});
