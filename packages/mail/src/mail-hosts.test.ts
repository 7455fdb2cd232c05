import { describe, it, expect } from 'vitest';
import { classifySmtpReply } from './smtp-classification';
import { NullMxError, resolveMailHosts } from './mail-hosts';
import { staticResolver } from './static-resolver';

describe('resolveMailHosts', () => {
  it('sorts MX hosts by preference and normalises names', async () => {
    const dns = staticResolver({
      mx: {
        'example.org': [
          { exchange: 'MX3.example.org.', priority: 30 },
          { exchange: 'mx1.example.org', priority: 5 },
          { exchange: 'mx2.example.org', priority: 10 },
        ],
      },
    });
    expect(await resolveMailHosts(dns, 'Example.org')).toEqual([
      { host: 'mx1.example.org', priority: 5 },
      { host: 'mx2.example.org', priority: 10 },
      { host: 'mx3.example.org', priority: 30 },
    ]);
  });

  it('shuffles equal preferences with the given random source (RFC 5321 §5.1)', async () => {
    const dns = staticResolver({
      mx: {
        'example.org': [
          { exchange: 'a.example.org', priority: 10 },
          { exchange: 'b.example.org', priority: 10 },
          { exchange: 'backup.example.org', priority: 20 },
        ],
      },
    });
    const draws = (values: number[]) => () => values.shift() ?? 0;
    const hosts = async (values: number[]) =>
      (await resolveMailHosts(dns, 'example.org', draws(values))).map((h) => h.host);
    expect(await hosts([0.1, 0.9, 0.5])).toEqual(['a.example.org', 'b.example.org', 'backup.example.org']);
    expect(await hosts([0.9, 0.1, 0.0])).toEqual(['b.example.org', 'a.example.org', 'backup.example.org']);
  });

  it.each(['.', ''])('throws NullMxError for a null MX with exchange %j (RFC 7505)', async (exchange) => {
    const dns = staticResolver({
      mx: { 'nomail.example': [{ exchange, priority: 0 }] },
      a: { 'nomail.example': ['192.0.2.1'] },
    });
    const error = await resolveMailHosts(dns, 'nomail.example').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NullMxError);
    expect(error).toMatchObject({ name: 'NullMxError', domain: 'nomail.example' });
  });

  it('gives a NullMxError reply that classifies as a suppressing bounce', () => {
    const result = classifySmtpReply(new NullMxError('nomail.example').smtpReply);
    expect(result).toMatchObject({ disposition: 'bounced', suppress: true, enhanced: '5.1.10' });
  });

  it('skips a "." mixed in with real MX hosts', async () => {
    const dns = staticResolver({
      mx: {
        'example.org': [
          { exchange: '.', priority: 0 },
          { exchange: 'mx.example.org', priority: 10 },
        ],
      },
    });
    expect(await resolveMailHosts(dns, 'example.org')).toEqual([{ host: 'mx.example.org', priority: 10 }]);
  });

  it.each([
    { name: 'an A record', records: { a: { 'example.org': ['192.0.2.1'] } } },
    { name: 'only an AAAA record', records: { aaaa: { 'example.org': ['2001:db8::1'] } } },
  ])('falls back to the implicit MX when there is no MX but $name', async ({ records }) => {
    expect(await resolveMailHosts(staticResolver(records), 'example.org')).toEqual([
      { host: 'example.org', priority: 0 },
    ]);
  });

  it('returns no hosts when the domain has neither MX nor address records', async () => {
    expect(await resolveMailHosts(staticResolver(), 'nowhere.example')).toEqual([]);
  });

  it('propagates resolver failures', async () => {
    const dns = { ...staticResolver(), resolveMx: () => Promise.reject(new Error('SERVFAIL')) };
    await expect(resolveMailHosts(dns, 'example.org')).rejects.toThrow('SERVFAIL');
  });
});
