import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackEvent } from '../feedback-event';
import { parseDsn } from './parse-dsn';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.eml`, import.meta.url));

describe('parseDsn', () => {
  it('classifies a Postfix 5.1.1 bounce as hard and links it by the returned headers', async () => {
    const events = await parseDsn(fixture('postfix-hard-bounce'));
    expect(events).toEqual([
      {
        provider: 'dsn',
        providerEventId: '<20240312101531.4TvK9l6QqRz1xyz@mail.example.net>:ada@example.net',
        type: 'bounced',
        bounceType: 'hard',
        recipient: 'ada@example.net',
        messageIdHeader: '<0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b@acme.test>',
        messageId: '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b',
        occurredAt: '2024-03-12T10:15:31.000Z',
        reason:
          'smtp; 550 5.1.1 <ada@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
        status: '5.1.1',
      },
    ]);
    expect(v.is(FeedbackEvent, events[0])).toBe(true);
  });

  it('reads a Gmail bounce: message/rfc822 original, folded diagnostic, Last-Attempt-Date', async () => {
    const [event, ...rest] = await parseDsn(fixture('gmail-bounce'));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'bounced',
      bounceType: 'hard',
      recipient: 'grace.h@example.org',
      messageId: '6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
      occurredAt: '2024-03-13T15:02:11.000Z',
      status: '5.1.1',
    });
    expect(event?.reason).toMatch(/^smtp; 550-5\.1\.1 The email account .* does not exist\. .* - gsmtp$/);
  });

  it('reads an Exchange NDR with two recipients: 5.1.10 hard, expired 4.4.7 soft', async () => {
    const events = await parseDsn(fixture('exchange-ndr'));
    expect(events.map((e) => [e.recipient, e.bounceType, e.status, e.messageId])).toEqual([
      ['jane.doe@contoso.com', 'hard', '5.1.10', '9b2d7e41-5c3a-4f6e-8d1b-2a7c9e0f3b64'],
      ['ops@contoso.com', 'soft', '4.4.7', '9b2d7e41-5c3a-4f6e-8d1b-2a7c9e0f3b64'],
    ]);
    expect(new Set(events.map((e) => e.providerEventId)).size).toBe(2);
    expect(events.every((e) => v.is(FeedbackEvent, e))).toBe(true);
  });

  it('ignores a delayed (4.x.x, Action: delayed) DSN: the message may still arrive', async () => {
    expect(await parseDsn(fixture('postfix-delayed'))).toEqual([]);
  });

  it('yields nothing for messages that are not DSNs', async () => {
    expect(await parseDsn(fixture('plain-message'))).toEqual([]);
    expect(await parseDsn(fixture('yahoo-arf'))).toEqual([]);
    expect(await parseDsn('')).toEqual([]);
  });

  it('links a DSN that quotes nothing of the original through the VERP address it was sent to', async () => {
    const id = '3c5e7a91-2b4d-4f6a-9c8e-1d3f5b7a9c2e';
    const dsn = (to: string) =>
      [
        'From: MAILER-DAEMON@mx.example.com',
        `To: ${to}`,
        'Date: Fri, 15 Mar 2024 14:00:02 +0000',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Delivery failed.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.com',
        '',
        'Final-Recipient: rfc822; linus@example.com',
        'Action: failed',
        'Diagnostic-Code: smtp; 550 mailbox unavailable',
        '',
        '--b--',
        '',
      ].join('\r\n');
    expect(await parseDsn(dsn(`<B+${id.toUpperCase()}@bounces.acme.test>`))).toMatchObject([
      {
        messageId: id,
        recipient: 'linus@example.com',
        bounceType: 'hard',
        occurredAt: '2024-03-15T14:00:02.000Z',
      },
    ]);
    expect(
      await parseDsn(dsn('postmaster@acme.test'), { envelopeTo: `b+${id}@bounces.acme.test` }),
    ).toMatchObject([{ messageId: id }]);
    const [unlinked] = await parseDsn(dsn('postmaster@acme.test'));
    expect(unlinked?.messageId).toBeUndefined();
    expect(unlinked?.status).toBeUndefined();
  });

  it('maps Action: delivered and keeps failed without any code soft', async () => {
    const dsn = (action: string) =>
      [
        'From: MAILER-DAEMON@mx.example.com',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.com',
        '',
        'Final-Recipient: rfc822;Linus@Example.com',
        `Action: ${action}`,
        '',
        '--b--',
      ].join('\n');
    expect(await parseDsn(dsn('delivered'), { now: () => new Date('2024-03-15T14:00:00Z') })).toMatchObject([
      { type: 'delivered', recipient: 'linus@example.com', occurredAt: '2024-03-15T14:00:00.000Z' },
    ]);
    expect(await parseDsn(dsn('failed'))).toMatchObject([{ type: 'bounced', bounceType: 'soft' }]);
    expect(await parseDsn(dsn('relayed'))).toEqual([]);
  });
});
