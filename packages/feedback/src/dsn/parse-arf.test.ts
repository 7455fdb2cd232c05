import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackEvent } from '../feedback-event';
import { parseArf } from './parse-arf';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}.eml`, import.meta.url));

function arf(feedbackType: string, originalTo: string, rcptTo?: string): string {
  return [
    'From: feedback@fbl.example.com',
    'To: fbl@acme.test',
    'Date: Mon, 18 Mar 2024 09:00:00 +0000',
    'Message-ID: <fbl-1@fbl.example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'An abuse report.',
    '--b',
    'Content-Type: message/feedback-report',
    '',
    `Feedback-Type: ${feedbackType}`,
    'User-Agent: ExampleFBL/1.0',
    'Version: 1',
    ...(rcptTo ? [`Original-Rcpt-To: ${rcptTo}`] : []),
    '',
    '--b',
    'Content-Type: text/rfc822-headers',
    '',
    'Message-ID: <a4e6c8f0-1b3d-4e5f-8a7c-9e1b3d5f7a9c@acme.test>',
    `To: ${originalTo}`,
    'Subject: Your weekly digest',
    '',
    '--b--',
    '',
  ].join('\r\n');
}

describe('parseArf', () => {
  it('maps a Yahoo complaint: Original-Rcpt-To, original Message-ID, report date', async () => {
    const events = await parseArf(fixture('yahoo-arf'));
    expect(events).toEqual([
      {
        provider: 'arf',
        providerEventId: '<1234567890.6789.1710504007000@arf.mail.yahoo.com>:reader.one@yahoo.com',
        type: 'complained',
        recipient: 'reader.one@yahoo.com',
        messageIdHeader: '<a4e6c8f0-1b3d-4e5f-8a7c-9e1b3d5f7a9c@acme.test>',
        messageId: 'a4e6c8f0-1b3d-4e5f-8a7c-9e1b3d5f7a9c',
        occurredAt: '2024-03-15T12:00:07.000Z',
        reason: 'abuse',
        userAgent: 'Yahoo!-Mail-Feedback/2.0',
      },
    ]);
    expect(v.is(FeedbackEvent, events[0])).toBe(true);
  });

  it('maps a Microsoft JMRP report without Original-Rcpt-To from the original message', async () => {
    expect(await parseArf(fixture('microsoft-jmrp'))).toMatchObject([
      {
        type: 'complained',
        recipient: 'maria.s@outlook.com',
        messageId: 'd7f9b1c3-5e7a-4c2e-9b4d-6f8a0c2e4b6d',
        occurredAt: '2024-03-17T01:45:12.000Z',
        userAgent: 'Microsoft JMRP/1.0',
      },
    ]);
  });

  it('yields nothing for DSNs, plain messages and feedback types other than abuse', async () => {
    expect(await parseArf(fixture('postfix-hard-bounce'))).toEqual([]);
    expect(await parseArf(fixture('plain-message'))).toEqual([]);
    expect(await parseArf(arf('not-spam', 'reader@example.com'))).toEqual([]);
    expect(await parseArf(arf('auth-failure', 'reader@example.com'))).toEqual([]);
  });

  it('prefers Original-Rcpt-To over the original To', async () => {
    expect(await parseArf(arf('abuse', 'list@example.com', '<Reader@Example.com>'))).toMatchObject([
      { recipient: 'reader@example.com' },
    ]);
  });

  it('keeps a complaint whose recipient is redacted, with recipient "" and our message id', async () => {
    expect(await parseArf(arf('abuse', 'redacted'))).toMatchObject([
      { recipient: '', messageId: 'a4e6c8f0-1b3d-4e5f-8a7c-9e1b3d5f7a9c', type: 'complained' },
    ]);
  });
});
