import { createHmac, timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { compact, enhancedStatusOf, isoTime, messageIdFields, reasonOf, recipientOf } from './event-fields';
import type { FeedbackEvent } from './feedback-event';

// Answering: see FEEDBACK_RESPONSE_STATUS.mailgun — 406 is the only refusal
// Mailgun does not retry; every other non-200 is retried for 8 h.

/** Options of {@link verifyMailgun}. */
export interface MailgunVerifyOptions {
  /** The HTTP webhook signing key (Mailgun → Sending → Webhooks), not the API key. */
  signingKey: string;
  /**
   * Records a token; resolves true only on its first use. Back it with Redis
   * `SET mq:mailgun-token:<token> 1 NX PX <2 × toleranceMs>`: tokens older than
   * the window are refused as stale anyway, so the key can expire then.
   */
  claimToken: (token: string) => Promise<boolean>;
  /** Accepted distance between the signed timestamp and now; default 5 min. */
  toleranceMs?: number;
  now?: () => Date;
}

const Signature = v.object({ timestamp: v.string(), token: v.string(), signature: v.string() });
const EventData = v.looseObject({
  id: v.string(),
  event: v.string(),
  timestamp: v.number(),
  recipient: v.string(),
  severity: v.optional(v.string()),
  reason: v.optional(v.string()),
  url: v.optional(v.string()),
  message: v.optional(
    v.looseObject({ headers: v.optional(v.looseObject({ 'message-id': v.optional(v.string()) })) }),
  ),
  'delivery-status': v.optional(
    v.looseObject({
      code: v.optional(v.union([v.number(), v.string()])),
      message: v.optional(v.string()),
      description: v.optional(v.string()),
      'enhanced-code': v.optional(v.string()),
    }),
  ),
  'client-info': v.optional(v.looseObject({ 'user-agent': v.optional(v.string()) })),
  'user-variables': v.optional(v.record(v.string(), v.unknown())),
});
type EventData = v.InferOutput<typeof EventData>;
const Body = v.looseObject({ signature: Signature, 'event-data': v.unknown() });

/**
 * Verifies a Mailgun webhook (hex HMAC-SHA256 of timestamp + token with the
 * signing key; timestamp within the window; token never seen before) and maps
 * its event. The signature covers only timestamp and token, not the event, so
 * the one-time token is what stops a captured request being replayed with a
 * different body. The token is claimed only once the signature is good, so
 * forged requests cannot use up tokens. Untracked events (accepted, rejected,
 * unsubscribed, stored) yield [].
 * @throws FeedbackAuthError bad signature, stale timestamp, replayed token
 * @throws FeedbackFormatError the body or its event-data is not Mailgun's shape
 */
export async function verifyMailgun(body: unknown, options: MailgunVerifyOptions): Promise<FeedbackEvent[]> {
  const parsed = v.safeParse(Body, body);
  if (!parsed.success) throw new FeedbackFormatError(`not a Mailgun webhook: ${v.summarize(parsed.issues)}`);
  const { timestamp, token, signature } = parsed.output.signature;
  const expected = createHmac('sha256', options.signingKey)
    .update(timestamp + token)
    .digest();
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new FeedbackAuthError('signature', 'Mailgun signature does not match');
  }
  const now = options.now?.() ?? new Date();
  const signedAt = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
  if (!(Math.abs(now.getTime() - signedAt) <= (options.toleranceMs ?? 5 * 60_000))) {
    throw new FeedbackAuthError('stale', 'Mailgun timestamp outside the accepted window');
  }
  if (!(await options.claimToken(token))) {
    throw new FeedbackAuthError('replayed', 'Mailgun token already used');
  }
  const event = v.safeParse(EventData, parsed.output['event-data']);
  if (!event.success) throw new FeedbackFormatError(`Mailgun event-data: ${v.summarize(event.issues)}`);
  return toEvents(event.output, now);
}

function toEvents(e: EventData, now: Date): FeedbackEvent[] {
  const recipient = recipientOf(e.recipient);
  if (!recipient) return [];
  // Mailgun gives the Message-ID without its angle brackets; messageIdFields restores them.
  const ids = messageIdFields(e.message?.headers?.['message-id']);
  const variable = e['user-variables']?.['mq_message_id'];
  const status = e['delivery-status'];
  const base = {
    provider: 'mailgun',
    providerEventId: e.id,
    recipient,
    ...ids,
    messageId: typeof variable === 'string' ? variable.toLowerCase() : ids.messageId,
    occurredAt: isoTime(e.timestamp, now),
  } as const;
  // `message` is often "" with the text in `description`: hence || rather than ??.
  const reason = reasonOf(status?.code, status?.message || status?.description) ?? reasonOf(e.reason);
  const smtp = { reason, status: enhancedStatusOf(status?.['enhanced-code']) ?? enhancedStatusOf(reason) };
  switch (e.event) {
    case 'delivered':
      return [compact({ ...base, type: 'delivered', ...smtp })];
    case 'failed': {
      // severity "temporary": Mailgun keeps retrying the delivery itself.
      const soft = e.severity === 'temporary' || (e.severity !== 'permanent' && smtp.status?.startsWith('4'));
      const bounceType = soft ? 'soft' : 'hard';
      return [compact({ ...base, type: 'bounced', bounceType, ...smtp })];
    }
    case 'complained':
      return [compact({ ...base, type: 'complained' })];
    case 'opened':
      return [compact({ ...base, type: 'opened', userAgent: e['client-info']?.['user-agent'] })];
    case 'clicked':
      return [compact({ ...base, type: 'clicked', url: e.url, userAgent: e['client-info']?.['user-agent'] })];
    default:
      return [];
  }
}
