import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { systemResolver } from './dns-resolver';
import type { DnsResolver } from './dns-resolver';
import { startDnsTestServer } from './dns-test-server';
import { NullMxError, resolveMailHosts } from './mail-hosts';
import { staticResolver } from './static-resolver';

describe('systemResolver against a real DNS server on loopback', () => {
  let stop: () => Promise<void>;
  let dns: DnsResolver;

  beforeAll(async () => {
    const server = await startDnsTestServer({
      'example.org': {
        mx: [
          { exchange: 'mx2.example.org', priority: 20 },
          { exchange: 'mx1.example.org', priority: 10 },
        ],
        a: ['192.0.2.10'],
        aaaa: ['2001:db8::10'],
        txt: [['v=spf1 include:_spf.mailq.example ~all'], ['google-site-verification=abc']],
      },
      'mq202401._domainkey.example.org': { txt: [['v=DKIM1; k=rsa; ', 'p=MIIBIjAN']] },
      'bounces.example.org': { cname: ['bounces.mailq.example'] },
      'nullmx.example': { mx: [{ exchange: '.', priority: 0 }] },
      'broken.example': { servfail: true },
    });
    stop = server.close;
    dns = systemResolver({ servers: [server.server], timeoutMs: 2000, tries: 1 });
  });
  afterAll(() => stop());

  it('returns MX, A, AAAA, TXT and CNAME answers', async () => {
    expect(await dns.resolveMx('example.org')).toEqual(
      expect.arrayContaining([
        { exchange: 'mx1.example.org', priority: 10 },
        { exchange: 'mx2.example.org', priority: 20 },
      ]),
    );
    expect(await dns.resolve4('example.org')).toEqual(['192.0.2.10']);
    expect(await dns.resolve6('example.org')).toEqual(['2001:db8::10']);
    expect(await dns.resolveTxt('example.org')).toHaveLength(2);
    // character-strings stay separate; callers concatenate (RFC 6376 §3.6.2.2)
    expect(await dns.resolveTxt('mq202401._domainkey.example.org')).toEqual([
      ['v=DKIM1; k=rsa; ', 'p=MIIBIjAN'],
    ]);
    expect(await dns.resolveCname?.('bounces.example.org')).toEqual(['bounces.mailq.example']);
  });

  it('reports a null MX as an empty exchange, which resolveMailHosts turns into NullMxError', async () => {
    expect(await dns.resolveMx('nullmx.example')).toEqual([{ exchange: '', priority: 0 }]);
    await expect(resolveMailHosts(dns, 'nullmx.example')).rejects.toBeInstanceOf(NullMxError);
  });

  it('answers [] for NXDOMAIN (ENOTFOUND) and for a name without that type (ENODATA)', async () => {
    expect(await dns.resolveMx('missing.example')).toEqual([]);
    expect(await dns.resolve4('missing.example')).toEqual([]);
    expect(await dns.resolveTxt('bounces.example.org')).toEqual([]);
    expect(await dns.resolve6('nullmx.example')).toEqual([]);
  });

  it('rejects on other failures, so an outage never reads as "no record"', async () => {
    await expect(dns.resolveMx('broken.example')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });
});

describe('staticResolver', () => {
  const dns = staticResolver({
    mx: { 'Example.ORG': [{ exchange: 'mx.example.org', priority: 10 }] },
    a: { 'example.org.': ['192.0.2.1'] },
    aaaa: { 'v6.example': ['2001:db8::1'] },
    txt: { 'example.org': [['v=spf1 -all']] },
    cname: { 'bounces.example.org': ['bounces.mailq.example'] },
  });

  it('looks names up ignoring case and a trailing dot', async () => {
    expect(await dns.resolveMx('example.org.')).toEqual([{ exchange: 'mx.example.org', priority: 10 }]);
    expect(await dns.resolve4('EXAMPLE.org')).toEqual(['192.0.2.1']);
    expect(await dns.resolve6('v6.example')).toEqual(['2001:db8::1']);
    expect(await dns.resolveCname?.('Bounces.Example.Org')).toEqual(['bounces.mailq.example']);
  });

  it('answers [] for anything missing', async () => {
    expect(await dns.resolveMx('nowhere.example')).toEqual([]);
    expect(await dns.resolve6('example.org')).toEqual([]);
    expect(await dns.resolveTxt('_dmarc.example.org')).toEqual([]);
  });

  it('publishes and replaces TXT records with setTxt', async () => {
    const local = staticResolver();
    local.setTxt('_dmarc.Example.org', [['v=DMARC1; p=none;']]);
    expect(await local.resolveTxt('_dmarc.example.org')).toEqual([['v=DMARC1; p=none;']]);
    local.setTxt('_dmarc.example.org', []);
    expect(await local.resolveTxt('_dmarc.example.org')).toEqual([]);
  });

  it('hands out copies, so a caller cannot change the next answer', async () => {
    const first = await dns.resolveTxt('example.org');
    first[0]?.push('tampered');
    expect(await dns.resolveTxt('example.org')).toEqual([['v=spf1 -all']]);
  });
});
