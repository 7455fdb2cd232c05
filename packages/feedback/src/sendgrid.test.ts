import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { FeedbackEvent } from './feedback-event';
import { verifySendgrid, type SendgridVerifyOptions } from './sendgrid';

// A P-256 key pair as SendGrid's Signed Event Webhook uses; the verification key
// is configured as SendGrid shows it: base64 SPKI DER without PEM armour.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PUBLIC_KEY = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const NOW = new Date('2024-03-12T10:20:00.000Z');
const TS = String(NOW.getTime() / 1000 - 30);
const OUR_ID = '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b';
const options: SendgridVerifyOptions = { publicKey: PUBLIC_KEY, now: () => NOW };

// Field names and values as in SendGrid's Event Webhook reference.
const base = { timestamp: 1710238531, sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' };
const EVENTS = [
  {
    ...base,
    email: 'Ada@Example.net',
    event: 'delivered',
    'smtp-id': `<${OUR_ID}@acme.test>`,
    sg_event_id: 'ZGVsaXZlcmVkLTAtMjQ0NTU2',
    response: '250 2.0.0 OK 1710238531 d9443c01a7336-1dd0e0b2e1fsi1234567pld.12 - gsmtp',
    category: ['welcome'],
    tls: 1,
  },
  {
    ...base,
    email: 'grace@example.org',
    event: 'bounce',
    type: 'bounce',
    bounce_classification: 'Invalid Address',
    status: '5.1.1',
    reason: '550 5.1.1 The email account that you tried to reach does not exist.',
    sg_event_id: 'Ym91bmNlLTAtMjQ0NTU3',
    mq_message_id: OUR_ID,
  },
  {
    ...base,
    email: 'x@example.com',
    event: 'bounce',
    type: 'blocked',
    status: '5.7.1',
    reason: '550 5.7.1 blocked using Spamhaus',
    sg_event_id: 'b2',
  },
  {
    ...base,
    email: 'y@example.com',
    event: 'dropped',
    reason: 'Bounced Address',
    status: '5.0.0',
    sg_event_id: 'd1',
  },
  {
    ...base,
    email: 'z@example.com',
    event: 'dropped',
    reason: 'Spam Content (if spam checker app enabled)',
    sg_event_id: 'd2',
  },
  { ...base, email: 'ada@example.net', event: 'spamreport', sg_event_id: 's1' },
  {
    ...base,
    email: 'ada@example.net',
    event: 'open',
    useragent: 'Mozilla/5.0 (Windows NT 10.0)',
    ip: '192.0.2.1',
    sg_event_id: 'o1',
  },
  {
    ...base,
    email: 'ada@example.net',
    event: 'click',
    url: 'https://acme.test/welcome',
    useragent: 'Mozilla/5.0',
    sg_event_id: 'c1',
  },
  { ...base, email: 'ada@example.net', event: 'processed', sg_event_id: 'p1' },
  {
    ...base,
    email: 'ada@example.net',
    event: 'deferred',
    response: '421 try later',
    attempt: '1',
    sg_event_id: 'f1',
  },
  { event: 'open' },
];
// The raw body as SendGrid sends it, newline-separated: the signature covers these exact bytes.
const RAW = `[${EVENTS.map((e) => JSON.stringify(e)).join(',\r\n')}]\r\n`;

function signature(body: string | Buffer, timestamp = TS, key: KeyObject = privateKey): string {
  return sign('sha256', Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), key).toString('base64');
}

function authReason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FeedbackAuthError);
    return error instanceof FeedbackAuthError ? error.reason : '';
  }
  throw new Error('expected a FeedbackAuthError');
}

describe('verifySendgrid', () => {
  it('verifies the signature over timestamp + raw body and maps the tracked events', () => {
    const events = verifySendgrid({ rawBody: RAW, signature: signature(RAW), timestamp: TS }, options);
    expect(events.map((e) => [e.type, e.bounceType, e.recipient, e.providerEventId])).toEqual([
      ['delivered', undefined, 'ada@example.net', 'ZGVsaXZlcmVkLTAtMjQ0NTU2'],
      ['bounced', 'hard', 'grace@example.org', 'Ym91bmNlLTAtMjQ0NTU3'],
      ['bounced', 'soft', 'x@example.com', 'b2'],
      ['bounced', 'hard', 'y@example.com', 'd1'],
      ['bounced', 'soft', 'z@example.com', 'd2'],
      ['complained', undefined, 'ada@example.net', 's1'],
      ['opened', undefined, 'ada@example.net', 'o1'],
      ['clicked', undefined, 'ada@example.net', 'c1'],
    ]);
    expect(events.every((e) => v.is(FeedbackEvent, e))).toBe(true);
    expect(events[0]).toEqual({
      provider: 'sendgrid',
      providerEventId: 'ZGVsaXZlcmVkLTAtMjQ0NTU2',
      type: 'delivered',
      recipient: 'ada@example.net',
      providerMessageId: base.sg_message_id,
      messageIdHeader: `<${OUR_ID}@acme.test>`,
      messageId: OUR_ID,
      occurredAt: '2024-03-12T10:15:31.000Z',
      reason: '250 2.0.0 OK 1710238531 d9443c01a7336-1dd0e0b2e1fsi1234567pld.12 - gsmtp',
      status: '2.0.0',
    });
    expect(events[1]).toMatchObject({ messageId: OUR_ID, status: '5.1.1' });
    expect(events[7]).toMatchObject({ url: 'https://acme.test/welcome', userAgent: 'Mozilla/5.0' });
  });

  it('accepts a Buffer body and a PEM verification key', () => {
    const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const raw = Buffer.from(RAW);
    const events = verifySendgrid(
      { rawBody: raw, signature: signature(raw), timestamp: TS },
      { ...options, publicKey: pem },
    );
    expect(events).toHaveLength(8);
  });

  it('refuses a body that differs from the signed bytes, even only in whitespace', () => {
    const sig = signature(RAW);
    expect(
      authReason(() =>
        verifySendgrid(
          { rawBody: RAW.replace('bounce', 'delivered'), signature: sig, timestamp: TS },
          options,
        ),
      ),
    ).toBe('signature');
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: JSON.stringify(EVENTS), signature: sig, timestamp: TS }, options),
      ),
    ).toBe('signature');
  });

  it('refuses a signature made with another key or over another timestamp', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: RAW, signature: signature(RAW, TS, other), timestamp: TS }, options),
      ),
    ).toBe('signature');
    const later = String(Number(TS) + 1);
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: RAW, signature: signature(RAW), timestamp: later }, options),
      ),
    ).toBe('signature');
    expect(
      authReason(() => verifySendgrid({ rawBody: RAW, signature: 'bm90IGRlcg==', timestamp: TS }, options)),
    ).toBe('signature');
  });

  it('refuses requests without the signature headers', () => {
    expect(
      authReason(() => verifySendgrid({ rawBody: RAW, signature: undefined, timestamp: TS }, options)),
    ).toBe('signature');
    expect(
      authReason(() => verifySendgrid({ rawBody: RAW, signature: signature(RAW), timestamp: null }, options)),
    ).toBe('signature');
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: RAW, signature: signature(RAW, 'soon'), timestamp: 'soon' }, options),
      ),
    ).toBe('signature');
  });

  it('refuses a timestamp outside the window (default ±5 min, configurable)', () => {
    const old = String(NOW.getTime() / 1000 - 301);
    const ahead = String(NOW.getTime() / 1000 + 301);
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: RAW, signature: signature(RAW, old), timestamp: old }, options),
      ),
    ).toBe('stale');
    expect(
      authReason(() =>
        verifySendgrid({ rawBody: RAW, signature: signature(RAW, ahead), timestamp: ahead }, options),
      ),
    ).toBe('stale');
    const wide = { ...options, toleranceMs: 10 * 60_000 };
    expect(
      verifySendgrid({ rawBody: RAW, signature: signature(RAW, old), timestamp: old }, wide),
    ).toHaveLength(8);
  });

  it('rejects a verified body that is not an array of events as malformed', () => {
    for (const body of ['{"event":"open"}', 'not json']) {
      expect(() =>
        verifySendgrid({ rawBody: body, signature: signature(body), timestamp: TS }, options),
      ).toThrow(FeedbackFormatError);
    }
  });

  it('refuses to run with a verification key that is not P-256', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(() =>
      verifySendgrid(
        { rawBody: RAW, signature: signature(RAW), timestamp: TS },
        { ...options, publicKey: rsa },
      ),
    ).toThrow(TypeError);
  });
});
