import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackFormatError } from './errors';
import { FeedbackEvent } from './feedback-event';
import { sesEvents } from './ses-events';

// Shapes from the SES developer guide's event publishing / notification examples.
const OUR_ID = '6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';
const envelope = { snsMessageId: 'sns-1', receivedAt: new Date('2024-03-12T10:20:00.000Z') };
const mail = {
  timestamp: '2024-03-12T10:15:28.000Z',
  source: 'Acme <hello@acme.test>',
  messageId: '0100018e3a0e0e0e-ses',
  destination: ['Ada@Example.net', 'grace@example.org'],
  headersTruncated: false,
  headers: [
    { name: 'From', value: 'Acme <hello@acme.test>' },
    { name: 'Message-ID', value: `<${OUR_ID}@acme.test>` },
  ],
  commonHeaders: { from: ['Acme <hello@acme.test>'], messageId: `<${OUR_ID}@acme.test>` },
};
const events = (event: object) => sesEvents(JSON.stringify(event), envelope);

describe('sesEvents', () => {
  it('maps a transient bounce per recipient to soft bounces', () => {
    const result = events({
      eventType: 'Bounce',
      mail,
      bounce: {
        bounceType: 'Transient',
        bounceSubType: 'MailboxFull',
        bouncedRecipients: [
          {
            emailAddress: 'ada@example.net',
            status: '4.2.2',
            diagnosticCode: 'smtp; 452 4.2.2 Mailbox full',
          },
          { emailAddress: 'grace@example.org' },
        ],
        timestamp: '2024-03-12T10:16:00.000Z',
        feedbackId: 'fb-1',
      },
    });
    expect(result.map((e) => [e.recipient, e.bounceType, e.status, e.reason, e.providerEventId])).toEqual([
      ['ada@example.net', 'soft', '4.2.2', 'smtp; 452 4.2.2 Mailbox full', 'fb-1:ada@example.net'],
      ['grace@example.org', 'soft', undefined, 'Transient MailboxFull', 'fb-1:grace@example.org'],
    ]);
    expect(result.every((e) => v.is(FeedbackEvent, e))).toBe(true);
  });

  it('maps a complaint, keeping the feedback type and user agent', () => {
    const [event] = events({
      notificationType: 'Complaint',
      mail,
      complaint: {
        complainedRecipients: [{ emailAddress: 'grace@example.org' }],
        timestamp: '2024-03-12T11:00:00.000Z',
        feedbackId: 'fb-2',
        userAgent: 'Yahoo!-Mail-Feedback/2.0',
        complaintFeedbackType: 'abuse',
      },
    });
    expect(event).toEqual({
      provider: 'ses',
      providerEventId: 'fb-2:grace@example.org',
      type: 'complained',
      recipient: 'grace@example.org',
      providerMessageId: '0100018e3a0e0e0e-ses',
      messageIdHeader: `<${OUR_ID}@acme.test>`,
      messageId: OUR_ID,
      occurredAt: '2024-03-12T11:00:00.000Z',
      reason: 'abuse',
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
    });
  });

  it('maps a delivery with its SMTP response, ids falling back to the SNS message id', () => {
    const result = events({
      eventType: 'Delivery',
      mail,
      delivery: {
        timestamp: '2024-03-12T10:15:30.000Z',
        recipients: ['ada@example.net'],
        smtpResponse: '250 2.6.0 Message received',
      },
    });
    expect(result).toMatchObject([
      {
        type: 'delivered',
        providerEventId: 'sns-1:ada@example.net',
        status: '2.6.0',
        reason: '250 2.6.0 Message received',
      },
    ]);
  });

  it('reports opens and clicks for every destination, with url and user agent', () => {
    const open = events({
      eventType: 'Open',
      mail,
      open: { timestamp: '2024-03-12T12:00:00.000Z', userAgent: 'Mozilla/5.0' },
    });
    expect(open.map((e) => [e.type, e.recipient, e.userAgent])).toEqual([
      ['opened', 'ada@example.net', 'Mozilla/5.0'],
      ['opened', 'grace@example.org', 'Mozilla/5.0'],
    ]);
    const [click] = events({
      eventType: 'Click',
      mail: { ...mail, destination: ['ada@example.net'] },
      click: {
        timestamp: '2024-03-12T12:01:00.000Z',
        link: 'https://acme.test/welcome',
        userAgent: 'Mozilla/5.0',
        ipAddress: '192.0.2.1',
      },
    });
    expect(click).toMatchObject({
      type: 'clicked',
      url: 'https://acme.test/welcome',
      occurredAt: '2024-03-12T12:01:00.000Z',
    });
  });

  it('prefers the mq_message_id message tag when SES replaced the Message-ID', () => {
    const [event] = events({
      eventType: 'Delivery',
      mail: {
        ...mail,
        headers: [{ name: 'Message-ID', value: '<0100018e3a0e0e0e-ses@email.amazonses.com>' }],
        tags: { mq_message_id: [OUR_ID.toUpperCase()], 'ses:configuration-set': ['mailq'] },
      },
      delivery: { recipients: ['ada@example.net'] },
    });
    expect(event).toMatchObject({
      messageId: OUR_ID,
      messageIdHeader: '<0100018e3a0e0e0e-ses@email.amazonses.com>',
    });
    expect(event?.occurredAt).toBe('2024-03-12T10:15:28.000Z');
  });

  it('ignores event types we do not track and text that is not an event', () => {
    expect(events({ eventType: 'Send', mail, send: {} })).toEqual([]);
    expect(events({ eventType: 'DeliveryDelay', mail, deliveryDelay: {} })).toEqual([]);
    expect(sesEvents('Successfully validated SNS topic for Amazon SES event publishing.', envelope)).toEqual(
      [],
    );
  });

  it('rejects a tracked event type without its documented fields', () => {
    expect(() => events({ eventType: 'Bounce', mail })).toThrow(FeedbackFormatError);
    expect(() => events({ eventType: 'Delivery', delivery: { recipients: [] } })).toThrow(
      FeedbackFormatError,
    );
  });
});
