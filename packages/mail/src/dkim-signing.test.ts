import { describe, it, expect } from 'vitest';
import { dkimVerify } from 'mailauth';
import { createTransport } from 'nodemailer';
import type { DKIMOptions } from 'nodemailer';
import { dkimTxtValue, generateDkimKeyPair } from './dkim-keys';
import { dkimOptionsFor } from './dkim-signing';
import type { DnsResolver } from './dns-resolver';
import { buildMimeMessage } from './mime/mime-message';
import { staticResolver } from './static-resolver';

const DOMAIN = 'acme.example';
const pair = generateDkimKeyPair(new Date('2024-01-15T00:00:00Z'));
const KEY_NAME = `${pair.selector}._domainkey.${DOMAIN}`;
/** The headers a signature covers for the tests' messages, which all carry List-Unsubscribe. */
const SIGNED_WITH_LIST_UNSUBSCRIBE = [
  'from',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'reply-to',
  'mime-version',
  'content-type',
  'list-unsubscribe',
];

// mailauth's resolver contract: (name, rrtype) → TXT answers; a missing name is ENOTFOUND.
function mailauthResolver(dns: DnsResolver) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const answers = rrtype === 'TXT' ? await dns.resolveTxt(name) : [];
    if (answers.length === 0)
      throw Object.assign(new Error(`${name} ${rrtype} not found`), { code: 'ENOTFOUND' });
    return answers;
  };
}

function published(value = dkimTxtValue(pair.publicKeyBase64)) {
  return mailauthResolver(staticResolver({ txt: { [KEY_NAME]: [[value.slice(0, 200), value.slice(200)]] } }));
}

async function signedMessage(
  newline: 'unix' | 'windows',
  headers: Record<string, string> = {},
): Promise<string> {
  const dkim: DKIMOptions = dkimOptionsFor(DOMAIN, pair.selector, pair.privateKeyPem);
  const transport = createTransport({ streamTransport: true, buffer: true, newline });
  const info = await transport.sendMail({
    from: 'Acme <noreply@acme.example>',
    to: 'bob@example.org',
    cc: 'carol@example.org',
    replyTo: 'support@acme.example',
    subject: 'Your receipt',
    text: 'Thanks for your order.\nTotal: 42 EUR\n',
    html: '<p>Thanks for your order.</p>',
    headers,
    dkim,
  });
  return info.message.toString();
}

describe('dkimOptionsFor', () => {
  it('builds the nodemailer dkim option with the house header list', () => {
    expect(dkimOptionsFor('Acme.Example.', 'mq202401', 'PEM')).toEqual({
      domainName: 'acme.example',
      keySelector: 'mq202401',
      privateKey: 'PEM',
      headerFieldNames:
        'From:To:Cc:Subject:Date:Message-ID:Reply-To:MIME-Version:Content-Type:List-Unsubscribe:List-Unsubscribe-Post',
    });
  });
});

describe('messages signed by nodemailer with dkimOptionsFor', () => {
  it.each<'windows' | 'unix'>(['windows', 'unix'])(
    'pass mailauth verification (%s newlines)',
    async (newline) => {
      const message = await signedMessage(newline);
      const { results } = await dkimVerify(message, { resolver: published() });
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({
        signingDomain: DOMAIN,
        selector: pair.selector,
        status: { result: 'pass' },
      });
    },
  );

  it('signs exactly the listed headers the message has', async () => {
    const message = await signedMessage('windows', {
      'List-Unsubscribe': '<https://acme.example/u/1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const signature = /^DKIM-Signature:[\s\S]*?(?=\r\n\S)/m.exec(message)?.[0].replace(/\s+/g, '') ?? '';
    const signed = /;h=([^;]+)/.exec(signature)?.[1]?.split(':');
    expect(signed?.sort()).toEqual([...SIGNED_WITH_LIST_UNSUBSCRIBE, 'list-unsubscribe-post'].sort());
    const { results } = await dkimVerify(message, { resolver: published() });
    expect(results[0]?.status.result).toBe('pass');
  });

  it('fails when the body is changed in transit', async () => {
    const message = (await signedMessage('windows')).replace('Total: 42 EUR', 'Total: 4200 EUR');
    const { results } = await dkimVerify(message, { resolver: published() });
    expect(['fail', 'neutral']).toContain(results[0]?.status.result);
  });

  it('fails when a signed header is changed in transit', async () => {
    const message = (await signedMessage('windows')).replace('Subject: Your receipt', 'Subject: Your refund');
    const { results } = await dkimVerify(message, { resolver: published() });
    expect(results[0]?.status.result).toBe('fail');
  });

  it('fails against a different published key', async () => {
    const other = generateDkimKeyPair();
    const { results } = await dkimVerify(await signedMessage('windows'), {
      resolver: published(dkimTxtValue(other.publicKeyBase64)),
    });
    expect(results[0]?.status.result).toBe('fail');
  });

  // The worker sends messages built by buildMimeMessage as nodemailer's `raw`.
  it('signs a pre-built (raw) message and otherwise sends it as it is', async () => {
    const raw = buildMimeMessage({
      from: 'Acme Støre <noreply@acme.example>',
      to: ['Bob <bob@example.org>'],
      cc: ['carol@example.org'],
      replyTo: ['support@acme.example'],
      subject: 'Your receipt — 42 €',
      messageId: '<m1@acme.example>',
      date: new Date('2024-01-15T10:00:00Z'),
      headers: { 'list-unsubscribe': '<https://acme.example/u/1>' },
      text: 'Thanks for your order.\nTotal: 42 €\n',
      html: '<p>Thanks for your order.</p>',
    });
    if (!raw) throw new Error('expected the fast path to apply');
    const transport = createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail({
      envelope: { from: 'bounces@acme.example', to: ['bob@example.org'] },
      raw,
      dkim: dkimOptionsFor(DOMAIN, pair.selector, pair.privateKeyPem),
    });
    const message = info.message.toString();
    expect(message.endsWith(raw.toString())).toBe(true);
    const signature = message.slice(0, message.length - raw.length);
    expect(signature).toMatch(/^DKIM-Signature: [^\r\n]*(\r\n[ \t][^\r\n]*)*\r\n$/);
    const signed = /;h=([^;]+)/.exec(signature.replace(/\s+/g, ''))?.[1]?.split(':');
    expect(signed?.sort()).toEqual([...SIGNED_WITH_LIST_UNSUBSCRIBE].sort());
    const { results } = await dkimVerify(message, { resolver: published() });
    expect(results[0]).toMatchObject({ signingDomain: DOMAIN, status: { result: 'pass' } });
  });
});
