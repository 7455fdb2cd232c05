import { createHmac, randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { FeedbackEvent } from './feedback-event';
import { verifyMailgun, type MailgunVerifyOptions } from './mailgun';

const SIGNING_KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const NOW = new Date('2024-03-12T10:20:00.000Z');
const OUR_ID = '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b';

function setup(overrides: Partial<MailgunVerifyOptions> = {}) {
  // The port's contract, as Redis SET NX gives it: true only the first time.
  const seen = new Set<string>();
  const claimToken = async (token: string) => !seen.has(token) && Boolean(seen.add(token));
  return { seen, options: { signingKey: SIGNING_KEY, claimToken, now: () => NOW, ...overrides } };
}

function signed(eventData: object, at = NOW.getTime() / 1000 - 10, key = SIGNING_KEY) {
  const timestamp = String(Math.floor(at));
  const token = randomBytes(25).toString('hex');
  const signature = createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
  return { signature: { timestamp, token, signature }, 'event-data': eventData };
}

// event-data as in Mailgun's webhook payload reference.
const failed = {
  event: 'failed',
  severity: 'permanent',
  id: 'G9Bn5sl1TC6bvLCe3U0MQQ',
  timestamp: 1710238531.375624,
  'log-level': 'error',
  reason: 'bounce',
  recipient: 'Ada@Example.net',
  'recipient-domain': 'example.net',
  message: {
    headers: {
      to: 'Ada <ada@example.net>',
      'message-id': `${OUR_ID}@acme.test`,
      from: 'Acme <hello@acme.test>',
      subject: 'Welcome',
    },
    attachments: [],
    size: 4242,
  },
  'delivery-status': {
    'attempt-no': 1,
    code: 550,
    message: '5.1.1 The email account that you tried to reach does not exist.',
    description: '',
    'enhanced-code': '5.1.1',
    'session-seconds': 0.4,
  },
  'user-variables': {},
};

async function authReason(body: unknown, options: MailgunVerifyOptions): Promise<string> {
  const error: unknown = await verifyMailgun(body, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FeedbackAuthError);
  return error instanceof FeedbackAuthError ? error.reason : '';
}

describe('verifyMailgun', () => {
  it('verifies the HMAC and maps a permanent failure to a hard bounce', async () => {
    const { options } = setup();
    const events = await verifyMailgun(signed(failed), options);
    expect(events).toEqual([
      {
        provider: 'mailgun',
        providerEventId: 'G9Bn5sl1TC6bvLCe3U0MQQ',
        type: 'bounced',
        bounceType: 'hard',
        recipient: 'ada@example.net',
        messageIdHeader: `<${OUR_ID}@acme.test>`,
        messageId: OUR_ID,
        occurredAt: '2024-03-12T10:15:31.375Z',
        reason: '550 5.1.1 The email account that you tried to reach does not exist.',
        status: '5.1.1',
      },
    ]);
    expect(v.is(FeedbackEvent, events[0])).toBe(true);
  });

  it('maps temporary failures to soft bounces, reading description when message is empty', async () => {
    const { options } = setup();
    const temporary = {
      ...failed,
      severity: 'temporary',
      'delivery-status': { code: 452, message: '', description: '4.2.2 Mailbox full' },
    };
    const [event] = await verifyMailgun(signed(temporary), options);
    expect(event).toMatchObject({ bounceType: 'soft', reason: '452 4.2.2 Mailbox full', status: '4.2.2' });
  });

  it('maps delivered, complained, opened and clicked; prefers the mq_message_id variable', async () => {
    const { options } = setup();
    const common = { ...failed, severity: undefined, 'delivery-status': undefined };
    const run = async (extra: object) => (await verifyMailgun(signed({ ...common, ...extra }), options))[0];
    expect(await run({ event: 'delivered', 'delivery-status': { code: 250, message: 'OK' } })).toMatchObject({
      type: 'delivered',
      reason: '250 OK',
    });
    expect(await run({ event: 'complained', id: 'c1' })).toMatchObject({
      type: 'complained',
      providerEventId: 'c1',
    });
    const ua = { 'client-info': { 'user-agent': 'Mozilla/5.0', 'client-type': 'browser' } };
    expect(await run({ event: 'opened', ...ua })).toMatchObject({ type: 'opened', userAgent: 'Mozilla/5.0' });
    expect(await run({ event: 'clicked', url: 'https://acme.test/welcome', ...ua })).toMatchObject({
      type: 'clicked',
      url: 'https://acme.test/welcome',
    });
    const other = 'a1b2c3d4-0000-4000-8000-000000000000';
    const headers = { message: { headers: { 'message-id': '20240312.1@mg.acme.test' } } };
    expect(
      await run({ event: 'delivered', ...headers, 'user-variables': { mq_message_id: other } }),
    ).toMatchObject({
      messageId: other,
      messageIdHeader: '<20240312.1@mg.acme.test>',
    });
    expect(await verifyMailgun(signed({ ...common, event: 'accepted' }), options)).toEqual([]);
  });

  it('accepts each token once: a replay of a valid request is refused', async () => {
    const { options } = setup();
    const body = signed(failed);
    await verifyMailgun(body, options);
    expect(await authReason(body, options)).toBe('replayed');
  });

  it('refuses a bad signature without claiming its token', async () => {
    const { options, seen } = setup();
    const forged = signed(failed, undefined, 'not-the-key');
    expect(await authReason(forged, options)).toBe('signature');
    expect(
      await authReason({ ...forged, signature: { ...forged.signature, signature: 'zz' } }, options),
    ).toBe('signature');
    expect(seen.size).toBe(0);
  });

  it('refuses a signature replayed with another timestamp or token', async () => {
    const { options } = setup();
    const body = signed(failed);
    const moved = {
      ...body,
      signature: { ...body.signature, timestamp: String(Number(body.signature.timestamp) + 1) },
    };
    expect(await authReason(moved, options)).toBe('signature');
  });

  it('refuses timestamps outside the window (default 5 min)', async () => {
    const { options, seen } = setup();
    expect(await authReason(signed(failed, NOW.getTime() / 1000 - 301), options)).toBe('stale');
    expect(await authReason(signed(failed, NOW.getTime() / 1000 + 301), options)).toBe('stale');
    expect(seen.size).toBe(0);
    const { options: wide } = setup({ toleranceMs: 10 * 60_000 });
    await expect(verifyMailgun(signed(failed, NOW.getTime() / 1000 - 301), wide)).resolves.toHaveLength(1);
  });

  it('rejects bodies that are not Mailgun webhooks as malformed', async () => {
    const { options } = setup();
    await expect(verifyMailgun({ 'event-data': failed }, options)).rejects.toBeInstanceOf(
      FeedbackFormatError,
    );
    await expect(verifyMailgun(signed({ event: 'failed' }), options)).rejects.toBeInstanceOf(
      FeedbackFormatError,
    );
  });
});
