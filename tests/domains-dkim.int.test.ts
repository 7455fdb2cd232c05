import { staticResolver, type DnsResolver } from '@mailq/mail';
import { dkimVerify } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { apiClient } from './support/api-client';
import { useTestPlatform } from './support/test-platform';

// One DNS for relay (verification), workers and the independent verifier.
const dns = staticResolver();
const env = useTestPlatform({ resolver: dns, relay: { requireVerifiedDomain: true } });

const api = apiClient(() => env.platform);

// mailauth's resolver contract: (name, rrtype) → answers; a missing name is ENOTFOUND.
function mailauthResolver(resolver: DnsResolver) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const answers = rrtype === 'TXT' ? await resolver.resolveTxt(name) : [];
    if (answers.length === 0) throw Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' });
    return answers;
  };
}

interface DomainView {
  id: string;
  status: string;
  dkim_selector: string;
  records: { purpose: string; type: string; name: string; value: string }[];
  checks?: { purpose: string; ok: boolean }[];
}

describe('sending domains and DKIM', () => {
  it('refuses unverified senders, verifies published records, and DKIM-signs what it sends', async () => {
    const sender = sampleEmail({ from: 'Brand <hello@brand.test>', to: 'customer@inbox.test' });
    const refused = await env.platform.send(sender);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('domain_not_verified');

    const created = await api('POST', '/v1/domains', { name: 'Brand.test' });
    expect(created.status).toBe(201);
    const domain = (await created.json()) as DomainView;
    expect(domain.status).toBe('pending');
    expect(JSON.stringify(domain)).not.toContain('PRIVATE KEY');
    expect(domain.records.map((r) => r.purpose).sort()).toEqual(['dkim', 'dmarc', 'return_path', 'spf']);
    expect((await api('POST', '/v1/domains', { name: 'brand.test' })).status).toBe(409);

    const unpublished = (await (await api('POST', `/v1/domains/${domain.id}/verify`)).json()) as DomainView;
    expect(unpublished.status).toBe('pending');
    expect(unpublished.checks?.find((c) => c.purpose === 'dkim')?.ok).toBe(false);

    for (const record of domain.records.filter((r) => r.type === 'TXT'))
      dns.setTxt(record.name, [[record.value]]);
    const verified = (await (await api('POST', `/v1/domains/${domain.id}/verify`)).json()) as DomainView;
    expect(verified.status).toBe('verified');
    expect((await api('GET', `/v1/domains/${domain.id}`, undefined, env.platform.keyB)).status).toBe(404);

    const accepted = await env.platform.send(sender);
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    await waitForEmail(env.platform, id, 'delivered');
    const message = env.sink.messages.find((m) => m.envelope.rcptTo.includes('customer@inbox.test'));
    expect(message?.parsed.headers.has('dkim-signature')).toBe(true);

    const { results } = await dkimVerify(message?.raw ?? Buffer.alloc(0), {
      resolver: mailauthResolver(dns),
    });
    expect(results[0]).toMatchObject({
      signingDomain: 'brand.test',
      selector: domain.dkim_selector,
      status: { result: 'pass' },
    });
  });
});
