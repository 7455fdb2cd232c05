import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { FeedbackEvent } from './feedback-event';
import { POSTMARK_BOUNCE_TYPES } from './postmark-bounce-types';
import { verifyPostmark, type PostmarkRequest, type PostmarkVerifyOptions } from './postmark';

const OUR_ID = '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b';
const options: PostmarkVerifyOptions = {
  username: 'postmark',
  password: 'correct horse',
  allowedIps: ['50.31.156.0/24'],
};
const authorization = `Basic ${Buffer.from('postmark:correct horse').toString('base64')}`;
const request = (body: unknown, extra: Partial<PostmarkRequest> = {}): PostmarkRequest => ({
  authorization,
  remoteAddress: '50.31.156.6',
  body,
  ...extra,
});

// Payloads as in Postmark's webhook documentation.
const bounce = {
  RecordType: 'Bounce',
  MessageStream: 'outbound',
  ID: 4323372036,
  Type: 'HardBounce',
  TypeCode: 1,
  Name: 'Hard bounce',
  Tag: 'welcome',
  MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
  Metadata: { mq_message_id: OUR_ID },
  ServerID: 23,
  Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
  Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
  Email: 'Ada@Example.net',
  From: 'hello@acme.test',
  BouncedAt: '2024-03-12T10:15:31Z',
  DumpAvailable: true,
  Inactive: true,
  CanActivate: true,
  Subject: 'Welcome',
};
const delivery = {
  RecordType: 'Delivery',
  ServerID: 23,
  MessageStream: 'outbound',
  MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
  Recipient: 'ada@example.net',
  Tag: 'welcome',
  DeliveredAt: '2024-03-12T10:15:31Z',
  Details: 'Test delivery webhook details',
  Metadata: {},
};

function authReason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FeedbackAuthError);
    return error instanceof FeedbackAuthError ? error.reason : '';
  }
  throw new Error('expected a FeedbackAuthError');
}

describe('verifyPostmark', () => {
  it('maps a hard bounce, with Postmark’s bounce ID as the event id', () => {
    const events = verifyPostmark(request(bounce), options);
    expect(events).toEqual([
      {
        provider: 'postmark',
        providerEventId: '4323372036',
        type: 'bounced',
        bounceType: 'hard',
        recipient: 'ada@example.net',
        providerMessageId: '883953f4-6105-42a2-a16a-77a8eac79483',
        messageId: OUR_ID,
        occurredAt: '2024-03-12T10:15:31.000Z',
        reason: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
        status: '5.1.1',
      },
    ]);
    expect(v.is(FeedbackEvent, events[0])).toBe(true);
  });

  it('maps the documented bounce types: soft, ignored, and hard when Postmark deactivated the address', () => {
    const type = (Type: string, Inactive = false) =>
      verifyPostmark(request({ ...bounce, Type, Inactive }), options)[0];
    expect(type('SoftBounce')?.bounceType).toBe('soft');
    expect(type('Transient')?.bounceType).toBe('soft');
    expect(type('BadEmailAddress')?.bounceType).toBe('hard');
    expect(type('ManuallyDeactivated')?.bounceType).toBe('hard');
    expect(type('Blocked', true)?.bounceType).toBe('hard');
    expect(type('SomethingNew')?.bounceType).toBe('soft');
    expect(type('AutoResponder')).toBeUndefined();
    expect(type('Subscribe')).toBeUndefined();
    expect(Object.keys(POSTMARK_BOUNCE_TYPES)).toHaveLength(22);
  });

  it('maps spam complaints, deliveries, opens and clicks', () => {
    const complaint = verifyPostmark(
      request({ ...bounce, RecordType: 'SpamComplaint', Type: 'SpamComplaint', ID: 42 }),
      options,
    );
    expect(complaint).toMatchObject([
      { type: 'complained', providerEventId: '42', recipient: 'ada@example.net' },
    ]);

    const [delivered] = verifyPostmark(request(delivery), options);
    expect(delivered).toMatchObject({
      type: 'delivered',
      reason: 'Test delivery webhook details',
      occurredAt: '2024-03-12T10:15:31.000Z',
    });
    expect(delivered?.messageId).toBeUndefined();
    expect(delivered?.providerEventId).toMatch(/^[0-9a-f]{64}$/);
    // The same payload retried de-duplicates to the same id.
    expect(verifyPostmark(request({ ...delivery }), options)[0]?.providerEventId).toBe(
      delivered?.providerEventId,
    );

    const open = {
      RecordType: 'Open',
      MessageStream: 'outbound',
      FirstOpen: true,
      Client: { Name: 'Chrome' },
      UserAgent: 'Mozilla/5.0',
      MessageID: delivery.MessageID,
      Metadata: { mq_message_id: OUR_ID },
      ReceivedAt: '2024-03-12T11:00:00Z',
      Tag: 'welcome',
      Recipient: 'ada@example.net',
    };
    expect(verifyPostmark(request(open), options)).toMatchObject([
      { type: 'opened', userAgent: 'Mozilla/5.0', messageId: OUR_ID },
    ]);
    const click = {
      ...open,
      RecordType: 'Click',
      ClickLocation: 'HTML',
      OriginalLink: 'https://acme.test/welcome',
    };
    expect(verifyPostmark(request(click), options)).toMatchObject([
      { type: 'clicked', url: 'https://acme.test/welcome' },
    ]);
  });

  it('ignores record types it does not track', () => {
    const change = {
      RecordType: 'SubscriptionChange',
      MessageID: 'x',
      Recipient: 'ada@example.net',
      SuppressSending: true,
    };
    expect(verifyPostmark(request(change), options)).toEqual([]);
  });

  it('refuses wrong or missing credentials', () => {
    const wrong = `Basic ${Buffer.from('postmark:wrong').toString('base64')}`;
    expect(authReason(() => verifyPostmark(request(bounce, { authorization: wrong }), options))).toBe(
      'credentials',
    );
    expect(authReason(() => verifyPostmark(request(bounce, { authorization: undefined }), options))).toBe(
      'credentials',
    );
  });

  it('refuses peers outside the allowlist, and skips the check when none is configured', () => {
    expect(authReason(() => verifyPostmark(request(bounce, { remoteAddress: '203.0.113.9' }), options))).toBe(
      'address',
    );
    expect(authReason(() => verifyPostmark(request(bounce, { remoteAddress: undefined }), options))).toBe(
      'address',
    );
    expect(verifyPostmark(request(bounce, { remoteAddress: '::ffff:50.31.156.77' }), options)).toHaveLength(
      1,
    );
    expect(
      verifyPostmark(request(bounce, { remoteAddress: undefined }), { ...options, allowedIps: undefined }),
    ).toHaveLength(1);
  });

  it('rejects bodies that are not Postmark records as malformed', () => {
    expect(() => verifyPostmark(request({ hello: 'world' }), options)).toThrow(FeedbackFormatError);
    expect(() => verifyPostmark(request({ RecordType: 'Bounce', Email: 'a@b.c' }), options)).toThrow(
      FeedbackFormatError,
    );
  });
});
