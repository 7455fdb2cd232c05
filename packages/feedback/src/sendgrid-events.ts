import * as v from 'valibot';
import {
  compact,
  enhancedStatusOf,
  isoTime,
  messageIdFields,
  payloadId,
  reasonOf,
  recipientOf,
} from './event-fields';
import type { FeedbackEvent } from './feedback-event';

// Field names as in SendGrid's Event Webhook reference.
const SendgridEvent = v.looseObject({
  event: v.string(),
  email: v.string(),
  timestamp: v.number(),
  sg_event_id: v.optional(v.string()),
  sg_message_id: v.optional(v.string()),
  'smtp-id': v.optional(v.string()),
  reason: v.optional(v.string()),
  response: v.optional(v.string()),
  status: v.optional(v.string()),
  type: v.optional(v.string()),
  url: v.optional(v.string()),
  useragent: v.optional(v.string()),
  // Custom args (unique_args) arrive as top-level fields; we send our id as one.
  mq_message_id: v.optional(v.string()),
});
type SendgridEvent = v.InferOutput<typeof SendgridEvent>;

/**
 * The feedback events among verified SendGrid events. Untracked events
 * (processed, deferred, unsubscribe, group_*) and items not shaped as
 * documented are skipped: one odd item must not cost the batch.
 */
export function sendgridEvents(items: readonly unknown[], now: Date): FeedbackEvent[] {
  return items.flatMap((item) => {
    const event = v.safeParse(SendgridEvent, item);
    return event.success ? toEvents(event.output, now) : [];
  });
}

// SendGrid drops a message without sending it for these reasons because of
// the address itself; other drop reasons (spam content, bad headers, quota)
// are about the message and must not suppress the recipient.
const ADDRESS_DROPS = new Set([
  'bounced address',
  'invalid',
  'spam reporting address',
  'unsubscribed address',
]);

function toEvents(e: SendgridEvent, now: Date): FeedbackEvent[] {
  const recipient = recipientOf(e.email);
  if (!recipient) return [];
  const ids = messageIdFields(e['smtp-id']);
  const base = {
    provider: 'sendgrid',
    providerEventId: e.sg_event_id ?? payloadId(JSON.stringify(e)),
    recipient,
    providerMessageId: e.sg_message_id,
    ...ids,
    messageId: e.mq_message_id?.toLowerCase() ?? ids.messageId,
    occurredAt: isoTime(e.timestamp, now),
  } as const;
  const status = enhancedStatusOf(e.status) ?? enhancedStatusOf(e.reason ?? e.response);
  switch (e.event) {
    case 'delivered':
      return [compact({ ...base, type: 'delivered', reason: reasonOf(e.response), status })];
    case 'bounce': {
      // type "blocked" is a block by the receiver (often reputation), retried
      // later by us; "bounce" is a permanent rejection unless its code says 4.x.x.
      const soft = e.type === 'blocked' || status?.startsWith('4');
      const bounceType = soft ? 'soft' : 'hard';
      return [compact({ ...base, type: 'bounced', bounceType, reason: reasonOf(e.reason), status })];
    }
    case 'dropped': {
      const bounceType = ADDRESS_DROPS.has((e.reason ?? '').trim().toLowerCase()) ? 'hard' : 'soft';
      return [
        compact({ ...base, type: 'bounced', bounceType, reason: reasonOf('dropped:', e.reason), status }),
      ];
    }
    case 'spamreport':
      return [compact({ ...base, type: 'complained' })];
    case 'open':
      return [compact({ ...base, type: 'opened', userAgent: e.useragent })];
    case 'click':
      return [compact({ ...base, type: 'clicked', url: e.url, userAgent: e.useragent })];
    default:
      return [];
  }
}
