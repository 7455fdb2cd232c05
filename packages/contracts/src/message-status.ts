import * as v from 'valibot';

/** Status of a message or of one of its recipients (DESIGN §3). */
export const MessageStatus = v.picklist([
  'queued',
  'scheduled',
  'sending',
  'deferred',
  'delivered',
  'bounced',
  'failed',
  'cancelled',
  'suppressed',
]);
export type MessageStatus = v.InferOutput<typeof MessageStatus>;

/** Statuses after which nothing more happens to a recipient. */
export const TERMINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'bounced',
  'failed',
  'cancelled',
  'suppressed',
]);

/** Outbound event types (Standard Webhooks `type`). */
export const EventType = v.picklist([
  'email.queued',
  'email.sent',
  'email.delivered',
  'email.deferred',
  'email.bounced',
  'email.complained',
  'email.opened',
  'email.clicked',
  'email.failed',
  'email.suppressed',
]);
export type EventType = v.InferOutput<typeof EventType>;

/** One entry of a message's timeline; `reply` is the SMTP reply that caused it. */
export const EmailEvent = v.object({
  type: v.picklist([
    'accepted',
    'attempt',
    'delivered',
    'deferred',
    'bounced',
    'failed',
    'suppressed',
    'cancelled',
    'complained',
    'opened',
    'clicked',
    /** An operator sent failed recipients round again (`mailq queue retry`). */
    'retried',
  ]),
  at: v.string(),
  recipient: v.optional(v.string()),
  reply: v.optional(v.string()),
  detail: v.optional(v.string()),
  /** The link of a click. */
  url: v.optional(v.string()),
  /** An open or click made by a prefetcher or link scanner rather than a person. */
  machine: v.optional(v.boolean()),
});
export type EmailEvent = v.InferOutput<typeof EmailEvent>;

export const RecipientState = v.object({
  address: v.string(),
  status: MessageStatus,
  reply: v.optional(v.string()),
  updated_at: v.string(),
});
export type RecipientState = v.InferOutput<typeof RecipientState>;

/** `GET /v1/emails/:id`. */
export const EmailStatusResponse = v.object({
  id: v.string(),
  status: MessageStatus,
  from: v.string(),
  subject: v.string(),
  message_id: v.string(),
  created_at: v.string(),
  scheduled_at: v.optional(v.string()),
  recipients: v.array(RecipientState),
  events: v.array(EmailEvent),
  tags: v.array(v.object({ name: v.string(), value: v.string() })),
  metadata: v.record(v.string(), v.string()),
});
export type EmailStatusResponse = v.InferOutput<typeof EmailStatusResponse>;

// Order in which a message with recipients in different states reports itself:
// work still under way wins, then the best terminal outcome.
const PRECEDENCE: readonly MessageStatus[] = [
  'sending',
  'deferred',
  'queued',
  'scheduled',
  'delivered',
  'bounced',
  'suppressed',
  'failed',
  'cancelled',
];

/** The message-level status derived from its recipients' statuses. */
export function overallStatus(recipients: readonly { status: MessageStatus }[]): MessageStatus {
  for (const status of PRECEDENCE) {
    if (recipients.some((r) => r.status === status)) return status;
  }
  return 'queued';
}
