import * as v from 'valibot';

/** Where a feedback event came from: a provider's webhook, or a report mailed back to us. */
export const FeedbackProvider = v.picklist(['ses', 'sendgrid', 'mailgun', 'postmark', 'dsn', 'arf']);
export type FeedbackProvider = v.InferOutput<typeof FeedbackProvider>;

/** What happened to one recipient of one message. */
export const FeedbackType = v.picklist(['delivered', 'bounced', 'complained', 'opened', 'clicked']);
export type FeedbackType = v.InferOutput<typeof FeedbackType>;

/** Longest `reason` kept: enough for any SMTP reply we have seen, short enough to store per event. */
export const MAX_REASON_LENGTH = 1000;

/**
 * One normalised feedback event. Validate with this schema before enqueueing
 * and again in the processor (queue data outlives deploys).
 *
 * - `providerEventId` de-duplicates: `(provider, providerEventId)` is unique per event.
 *   It is the provider's own event id where it has one per recipient (SendGrid
 *   `sg_event_id`, Mailgun `id`, Postmark bounce `ID`). A payload that covers several
 *   recipients gets `<payload id>:<recipient>` (SES: `feedbackId`, else the SNS
 *   MessageId; DSN/ARF: the report's own Message-ID). A payload without any id gets
 *   the SHA-256 of its bytes (SendGrid events without `sg_event_id`, Postmark
 *   deliveries/opens/clicks, reports without a Message-ID).
 * - `recipient` is bare and lower-case. Only an ARF report that redacts every
 *   recipient yields `''`: resolve the recipients from `messageId` then.
 * - `messageId` is our id (the UUID in our Message-ID or VERP address), when found;
 *   `providerMessageId` is the provider's own id for the message (SES `mail.messageId`,
 *   SendGrid `sg_message_id`, Postmark `MessageID`), never ours even when it is a UUID.
 * - `messageIdHeader` is the RFC 5322 Message-ID as seen, with `<>`.
 * - `status` is the RFC 3463 enhanced status code (`5.1.1`), `reason` the diagnostic text.
 */
export const FeedbackEvent = v.object({
  provider: FeedbackProvider,
  providerEventId: v.pipe(v.string(), v.minLength(1)),
  type: FeedbackType,
  bounceType: v.optional(v.picklist(['hard', 'soft'])),
  recipient: v.string(),
  messageId: v.optional(v.string()),
  messageIdHeader: v.optional(v.string()),
  providerMessageId: v.optional(v.string()),
  occurredAt: v.pipe(v.string(), v.isoTimestamp()),
  reason: v.optional(v.pipe(v.string(), v.maxLength(MAX_REASON_LENGTH))),
  status: v.optional(v.pipe(v.string(), v.regex(/^[245]\.\d{1,3}\.\d{1,3}$/))),
  url: v.optional(v.string()),
  userAgent: v.optional(v.string()),
});
export type FeedbackEvent = v.InferOutput<typeof FeedbackEvent>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our message id from a Message-ID header. We write `<{uuid}@{sender-domain}>`
 * (see the relay's accepted-message), so the id is the local part when it is a
 * UUID; anything else was not written by us. Returned lower-case.
 */
export function ourMessageId(messageIdHeader: string): string | undefined {
  const inner = messageIdHeader.trim().replace(/^<|>$/g, '');
  const at = inner.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = inner.slice(0, at);
  return UUID.test(local) ? local.toLowerCase() : undefined;
}
