import { describe, it, expect } from 'vitest';
import { simpleParser, type AddressObject } from 'mailparser';
import { createTransport } from 'nodemailer';
import { bareAddress } from '@mailq/contracts';
import { buildMimeMessage, type MimeMessageInput } from './mime-message';

const base = {
  from: 'Acme <noreply@acme.example>',
  to: ['bob@example.org'],
  subject: 'Your receipt',
  messageId: '<0b1e7c2a.m1@acme.example>',
  date: new Date('2024-01-15T10:00:00Z'),
};
const paragraph =
  'Thanks for your order #12345. It ships tomorrow and should arrive within three working days. ';

const customHeaders: MimeMessageInput = {
  ...base,
  text: 'Hello',
  headers: {
    'List-Unsubscribe': '<https://acme.example/u/1>, <mailto:u@acme.example>',
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'X-Entity-Ref-ID': 'abc-123',
    'x-campaign': 'Frühling 2024',
  },
};

const cases: Array<[string, MimeMessageInput]> = [
  ['ASCII text only', { ...base, text: 'Thanks for your order.\nTotal: 42 EUR\n' }],
  ['html only', { ...base, html: '<p>Thanks for your order.</p>' }],
  ['text and html', { ...base, text: paragraph.repeat(3), html: `<p>${paragraph}</p>`.repeat(3) }],
  [
    'non-ASCII subject, names and bodies',
    {
      ...base,
      from: 'Acme Støre <noreply@acme.example>',
      to: ['Zoë Ünïcode <zoe@example.org>', 'Иван Петров <ivan@example.org>'],
      cc: ['山田太郎 <taro@example.jp>'],
      subject: 'Ваш заказ отправлен — 42 € 🎉',
      text: 'Grüße aus Köln, façade, naïve — 42 €.\n',
      html: '<p>ご注文ありがとうございます。発送は明日です。</p>',
    },
  ],
  [
    'long lines, trailing spaces and dots',
    {
      ...base,
      text: `${paragraph.repeat(12)}\n.leading dot\ntrailing spaces   \n${'x'.repeat(300)}`,
      html: `<div>${paragraph.repeat(60)}</div>`,
    },
  ],
  ['custom headers', customHeaders],
  [
    'several to, cc and reply-to',
    {
      ...base,
      to: ['Bob <bob@example.org>', '"Doe, Jane" <jane@example.org>', 'carol@example.net'],
      cc: ['dave@example.org', 'Eve Example <eve@example.com>'],
      replyTo: ['support@acme.example', 'Billing <billing@acme.example>'],
      text: 'Hello all',
      html: '<p>Hello all</p>',
    },
  ],
  [
    'long subjects that need folding',
    {
      ...base,
      subject: `${'Your order has shipped and is on its way to you '.repeat(4)}— größer als erwartet`,
      text: 'Hello',
    },
  ],
  ['mixed line breaks', { ...base, text: 'one\r\ntwo\nthree\r\n', html: '<p>one</p>\r\n<p>two</p>\n' }],
];

// The composer as the worker drives it, with nodemailer's SMTP line ending normalisation.
async function composed(message: MimeMessageInput): Promise<Buffer> {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail({
    ...message,
    envelope: { from: 'bounces@acme.example', to: ['bob@example.org'] },
  });
  if (!Buffer.isBuffer(info.message)) throw new Error('a buffering stream transport gives a Buffer');
  return info.message;
}

async function meaning(source: Buffer) {
  const mail = await simpleParser(source);
  const { 'content-type': contentType, ...headers } = Object.fromEntries(mail.headers);
  const addresses = (a?: AddressObject | AddressObject[]) => (a ? [a].flat().flatMap((o) => o.value) : []);
  return {
    headers,
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo),
    subject: mail.subject,
    messageId: mail.messageId,
    date: mail.date?.toISOString(),
    // The multipart boundary is random; the rest of Content-Type must match.
    contentType: typeof contentType === 'object' && 'value' in contentType ? contentType.value : contentType,
    text: mail.text,
    html: mail.html,
  };
}

// Line breaks as parsed; a single-part body also ends with the message's final CRLF.
function trimmed(body?: string | false): string | undefined {
  return body === false ? undefined : body?.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

function built(message: MimeMessageInput): string {
  const raw = buildMimeMessage(message);
  if (!raw) throw new Error('expected the fast path to apply');
  return raw.toString();
}

describe('buildMimeMessage', () => {
  it.each(cases)('%s: means what the composer’s message means', async (_name, message) => {
    const fast = await meaning(Buffer.from(built(message)));
    const slow = await meaning(await composed(message));
    expect(fast).toEqual(slow);
    expect(fast.subject).toBe(message.subject);
    expect(fast.messageId).toBe(message.messageId);
    expect(fast.date).toBe(message.date.toISOString());
    expect(fast.from[0]?.address).toBe('noreply@acme.example');
    expect(fast.to.map((a) => a.address)).toEqual(message.to.map(bareAddress));
    if (message.text !== undefined) expect(trimmed(fast.text)).toBe(trimmed(message.text));
    if (message.html !== undefined) expect(trimmed(fast.html)).toBe(trimmed(message.html));
  });

  it.each(cases)('%s: CRLF only, no line over 998, body lines within 76, no Bcc', (_name, message) => {
    const mime = built(message);
    expect(mime.endsWith('\r\n')).toBe(true);
    const lines = mime.slice(0, -2).split('\r\n');
    expect(lines.filter((line) => /[\r\n]/.test(line) || line.length > 998)).toEqual([]);
    const body = lines.slice(lines.indexOf('') + 1);
    expect(body.filter((line) => line.length > 76)).toEqual([]);
    expect(mime).not.toMatch(/^bcc:/im);
  });

  it('keeps custom header values and the caller’s field names', async () => {
    const mime = built(customHeaders);
    expect(mime).toContain('\r\nX-Entity-Ref-ID: abc-123\r\n');
    expect(mime).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    expect(mime).toContain('\r\nx-campaign: =?UTF-8?Q?Fr=C3=BChling_2024?=\r\n');
    const mail = await simpleParser(Buffer.from(mime));
    expect(mail.headers.get('list')).toEqual({
      unsubscribe: { url: 'https://acme.example/u/1', mail: 'u@acme.example' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
  });

  it('refuses a field name that would inject a header, and keeps CR/LF out of values', () => {
    expect(() => built({ ...base, text: 'Hello', headers: { 'X-A: 1\r\nBcc': 'x@example.org' } })).toThrow(
      TypeError,
    );
    expect(built({ ...base, text: 'Hello', headers: { 'X-A': '1\r\nBcc: x@example.org' } })).toContain(
      '\r\nX-A: 1 Bcc: x@example.org\r\n',
    );
  });

  it('writes one part for one body and multipart/alternative for two, with a fresh boundary', async () => {
    expect(built({ ...base, text: 'Hello' })).toMatch(
      /\r\nMIME-Version: 1\.0\r\nContent-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nHello\r\n$/,
    );
    const first = built({ ...base, text: 'Hello', html: '<p>Hello</p>' });
    const second = built({ ...base, text: 'Hello', html: '<p>Hello</p>' });
    const boundaryOf = (mime: string) => /boundary="([^"]+)"/.exec(mime)?.[1];
    expect(boundaryOf(first)).toMatch(/^=_mq_[0-9a-f-]{36}$/);
    expect(boundaryOf(first)).not.toBe(boundaryOf(second));
    const mail = await simpleParser(Buffer.from(first));
    expect(mail.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it('encodes bodies as the composer does: 7bit, quoted-printable, or base64 for mostly non-Latin text', () => {
    expect(built({ ...base, text: 'short ASCII' })).toContain('Content-Transfer-Encoding: 7bit');
    expect(built({ ...base, text: 'x'.repeat(77) })).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(built({ ...base, text: 'Grüße' })).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(built({ ...base, text: 'ご注文ありがとうございます' })).toContain(
      'Content-Transfer-Encoding: base64',
    );
  });

  it('turns bare CR and LF into CRLF', () => {
    expect(built({ ...base, text: 'a\rb\nc\r\nd' })).toContain('\r\n\r\na\r\nb\r\nc\r\nd\r\n');
  });

  it('leaves messages with attachments, or without a body, to the composer', () => {
    const attachment = { filename: 'a.txt', content: 'aGk=' };
    expect(buildMimeMessage({ ...base, text: 'Hello', attachments: [attachment] })).toBeNull();
    expect(buildMimeMessage({ ...base, text: '' })).toBeNull();
    expect(buildMimeMessage({ ...base, text: 'Hello', attachments: [] })).not.toBeNull();
  });
});
