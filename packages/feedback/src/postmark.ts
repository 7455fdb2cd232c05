import * as v from 'valibot';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { compact, enhancedStatusOf, isoTime, payloadId, reasonOf, recipientOf } from './event-fields';
import type { FeedbackEvent } from './feedback-event';
import { basicAuthMatches, ipMatcher } from './request-guards';
import { POSTMARK_BOUNCE_TYPES } from './postmark-bounce-types';
import { PostmarkRecord, TrackedRecordType } from './postmark-record';

// Answering: see FEEDBACK_RESPONSE_STATUS.postmark — 403 stops Postmark's
// retries; 5xx is retried.

/** The parts of a Postmark webhook request that verification needs. */
export interface PostmarkRequest {
  /** The `Authorization` header. */
  authorization: string | null | undefined;
  /**
   * The peer address. Take it from the socket, or from X-Forwarded-For only as
   * appended by a proxy of ours: a client can write that header itself.
   */
  remoteAddress?: string | undefined;
  /** The parsed JSON body. */
  body: unknown;
}

/** Options of {@link verifyPostmark}. */
export interface PostmarkVerifyOptions {
  /** The HTTP Basic credentials put in the webhook URL (`https://user:password@host/…`). */
  username: string;
  password: string;
  /** IPs / CIDRs Postmark posts from; undefined or empty skips the check. */
  allowedIps?: readonly string[];
  now?: () => Date;
}

/**
 * Checks a Postmark webhook request — Postmark does not sign webhooks, so the
 * guards are HTTP Basic credentials and, optionally, the sender's address —
 * and maps its record. Untracked record types (SubscriptionChange, Inbound)
 * and bounce types that are not delivery failures yield [].
 * @throws FeedbackAuthError wrong credentials or address not allowed
 * @throws FeedbackFormatError the body is not a Postmark record of its documented shape
 * @throws TypeError an `allowedIps` entry is not an IP or CIDR (our configuration)
 */
export function verifyPostmark(request: PostmarkRequest, options: PostmarkVerifyOptions): FeedbackEvent[] {
  if (options.allowedIps?.length) {
    const allowed = ipMatcher(options.allowedIps);
    if (!request.remoteAddress || !allowed(request.remoteAddress)) {
      throw new FeedbackAuthError('address', 'Postmark webhook from an address not in the allowlist');
    }
  }
  if (!basicAuthMatches(request.authorization, options.username, options.password)) {
    throw new FeedbackAuthError('credentials', 'Postmark webhook credentials do not match');
  }
  if (!v.is(TrackedRecordType, request.body)) {
    if (v.is(v.looseObject({ RecordType: v.string() }), request.body)) return [];
    throw new FeedbackFormatError('not a Postmark webhook record');
  }
  const parsed = v.safeParse(PostmarkRecord, request.body);
  if (!parsed.success) throw new FeedbackFormatError(`Postmark record: ${v.summarize(parsed.issues)}`);
  const now = options.now?.() ?? new Date();
  const record = parsed.output;
  const bounce = record.RecordType === 'Bounce' || record.RecordType === 'SpamComplaint' ? record : undefined;
  const recipient = recipientOf(bounce ? bounce.Email : 'Recipient' in record ? record.Recipient : undefined);
  if (!recipient) return [];
  const ourId = record.Metadata?.['mq_message_id'];
  const base = {
    provider: 'postmark',
    // Only bounces and complaints carry an id of their own.
    providerEventId: bounce ? String(bounce.ID) : payloadId(JSON.stringify(request.body)),
    recipient,
    // Postmark's MessageID is a UUID too, but Postmark's: never take it for ours.
    providerMessageId: record.MessageID,
    messageId: typeof ourId === 'string' ? ourId.toLowerCase() : undefined,
  } as const;
  switch (record.RecordType) {
    case 'Delivery':
      return [
        compact({
          ...base,
          type: 'delivered',
          occurredAt: isoTime(record.DeliveredAt, now),
          reason: reasonOf(record.Details),
        }),
      ];
    case 'Open':
      return [
        compact({
          ...base,
          type: 'opened',
          occurredAt: isoTime(record.ReceivedAt, now),
          userAgent: record.UserAgent,
        }),
      ];
    case 'Click': {
      const occurredAt = isoTime(record.ReceivedAt, now);
      return [
        compact({
          ...base,
          type: 'clicked',
          occurredAt,
          url: record.OriginalLink,
          userAgent: record.UserAgent,
        }),
      ];
    }
    default: {
      const occurredAt = isoTime(record.BouncedAt, now);
      const kind =
        record.RecordType === 'SpamComplaint' ? 'complaint' : (POSTMARK_BOUNCE_TYPES[record.Type] ?? 'soft');
      if (kind === 'complaint') return [compact({ ...base, type: 'complained', occurredAt })];
      if (kind === 'ignore') return [];
      // Inactive: Postmark deactivated the address and will not send to it again.
      const bounceType = kind === 'hard' || record.Inactive === true ? 'hard' : 'soft';
      const reason = reasonOf(record.Details) ?? reasonOf(record.Description);
      const status = enhancedStatusOf(record.Details) ?? enhancedStatusOf(record.Description);
      return [compact({ ...base, type: 'bounced', bounceType, occurredAt, reason, status })];
    }
  }
}
