import * as v from 'valibot';
import { FeedbackFormatError } from './errors';
import { compact, enhancedStatusOf, isoTime, messageIdFields, reasonOf, recipientOf } from './event-fields';
import type { FeedbackEvent } from './feedback-event';
import { SES_EVENTS, SesEventKind, type SesMail } from './ses-event-schemas';

/** Where the SES event came from: the SNS message id and time, the fallback id and time. */
export interface SesEnvelope {
  snsMessageId: string;
  receivedAt: Date;
}

type Fields = Pick<FeedbackEvent, 'type' | 'occurredAt'> &
  Partial<Pick<FeedbackEvent, 'bounceType' | 'status' | 'reason' | 'url' | 'userAgent'>>;

/**
 * The feedback events in the `Message` of an SNS notification from SES, one per
 * recipient. Text that is not an SES event — the "Successfully validated SNS
 * topic" message SES sends on set-up — and event types we do not track (Send,
 * Reject, DeliveryDelay, Rendering Failure, Subscription) yield [].
 * @throws FeedbackFormatError when a tracked event type lacks its documented fields
 */
export function sesEvents(text: string, envelope: SesEnvelope): FeedbackEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const kind = v.safeParse(SesEventKind, json);
  const name = kind.success ? (kind.output.eventType ?? kind.output.notificationType) : undefined;
  const parse = <S extends (typeof SES_EVENTS)[keyof typeof SES_EVENTS]>(schema: S): v.InferOutput<S> => {
    const parsed = v.safeParse(schema, json);
    if (!parsed.success) throw new FeedbackFormatError(`SES ${name} event: ${v.summarize(parsed.issues)}`);
    return parsed.output;
  };
  switch (name) {
    case 'Bounce': {
      const { mail, bounce } = parse(SES_EVENTS.Bounce);
      return bounce.bouncedRecipients.flatMap((r) =>
        eventFor(mail, bounce.feedbackId ?? envelope.snsMessageId, r.emailAddress, {
          type: 'bounced',
          bounceType: bounce.bounceType === 'Permanent' ? 'hard' : 'soft',
          occurredAt: isoTime(bounce.timestamp ?? mail.timestamp, envelope.receivedAt),
          status: enhancedStatusOf(r.status) ?? enhancedStatusOf(r.diagnosticCode),
          reason: reasonOf(r.diagnosticCode) ?? reasonOf(bounce.bounceType, bounce.bounceSubType),
        }),
      );
    }
    case 'Complaint': {
      const { mail, complaint } = parse(SES_EVENTS.Complaint);
      return complaint.complainedRecipients.flatMap((r) =>
        eventFor(mail, complaint.feedbackId ?? envelope.snsMessageId, r.emailAddress, {
          type: 'complained',
          occurredAt: isoTime(complaint.timestamp ?? mail.timestamp, envelope.receivedAt),
          reason: reasonOf(complaint.complaintFeedbackType),
          userAgent: complaint.userAgent,
        }),
      );
    }
    case 'Delivery': {
      const { mail, delivery } = parse(SES_EVENTS.Delivery);
      return delivery.recipients.flatMap((r) =>
        eventFor(mail, envelope.snsMessageId, r, {
          type: 'delivered',
          occurredAt: isoTime(delivery.timestamp ?? mail.timestamp, envelope.receivedAt),
          reason: reasonOf(delivery.smtpResponse),
          status: enhancedStatusOf(delivery.smtpResponse),
        }),
      );
    }
    // SES tracks opens and clicks per message, not per recipient: a message to
    // several recipients reports each of them.
    case 'Open': {
      const { mail, open } = parse(SES_EVENTS.Open);
      const occurredAt = isoTime(open.timestamp ?? mail.timestamp, envelope.receivedAt);
      return mail.destination.flatMap((r) =>
        eventFor(mail, envelope.snsMessageId, r, { type: 'opened', occurredAt, userAgent: open.userAgent }),
      );
    }
    case 'Click': {
      const { mail, click } = parse(SES_EVENTS.Click);
      const occurredAt = isoTime(click.timestamp ?? mail.timestamp, envelope.receivedAt);
      const fields = { type: 'clicked', occurredAt, url: click.link, userAgent: click.userAgent } as const;
      return mail.destination.flatMap((r) => eventFor(mail, envelope.snsMessageId, r, fields));
    }
    default:
      return [];
  }
}

function eventFor(mail: SesMail, baseId: string, address: string, fields: Fields): FeedbackEvent[] {
  const recipient = recipientOf(address);
  if (!recipient) return [];
  // A message tag `mq_message_id` (SendEmail Tags / X-SES-MESSAGE-TAGS) wins:
  // it survives whatever SES does to the Message-ID header.
  const header =
    mail.headers.find((h) => h.name.toLowerCase() === 'message-id')?.value ?? mail.commonHeaders?.messageId;
  const tagged = mail.tags?.['mq_message_id']?.[0]?.toLowerCase();
  const ids = messageIdFields(header);
  return [
    compact({
      provider: 'ses',
      providerEventId: `${baseId}:${recipient}`,
      recipient,
      providerMessageId: mail.messageId,
      ...ids,
      messageId: tagged ?? ids.messageId,
      ...fields,
    }),
  ];
}
