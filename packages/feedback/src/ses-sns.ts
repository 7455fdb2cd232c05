import * as v from 'valibot';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import type { FeedbackEvent } from './feedback-event';
import { sesEvents } from './ses-events';
import { SnsMessage, isSnsUrl, signingCertUrl, verifySnsSignature } from './sns-signature';

// Answering: see FEEDBACK_RESPONSE_STATUS.ses — SNS treats every status below
// 500 as delivered and never retries it, so only a 5xx makes SNS send again.

/** Options of {@link verifySnsMessage}. */
export interface SnsVerifyOptions {
  /**
   * Fetches the signing certificate (PEM) at a URL already checked to be
   * `https://sns.<region>.amazonaws.com[.cn]/….pem`. Should cache by URL and not
   * follow redirects; see `createSnsCertificateFetcher`. A rejection propagates
   * unchanged (it is our transient failure: answer 503).
   */
  fetchCertificate: (url: string) => Promise<string>;
  /** Topic ARNs we subscribed to; messages from any other topic are refused. */
  allowedTopicArns: readonly string[];
  now?: () => Date;
}

/** What a verified SNS message asks of us. */
export type SnsVerified =
  | { kind: 'subscription'; topicArn: string; subscribeUrl: string }
  | { kind: 'unsubscribe'; topicArn: string }
  | { kind: 'notification'; topicArn: string; snsMessageId: string; events: FeedbackEvent[] };

// A retried SNS message keeps its original Timestamp and signature; an hour
// covers the longest HTTP retry policy SNS allows (3600 s in total).
const MAX_AGE_MS = 60 * 60 * 1000;
// A little clock skew the other way.
const MAX_AHEAD_MS = 5 * 60 * 1000;

/**
 * Verifies an Amazon SNS HTTP(S) message carrying SES events and returns what it asks of us.
 * `body` is the parsed JSON of the request (SNS sends it as text/plain); raw
 * message delivery is not supported (it carries no signature).
 *
 * Order matters: the topic, timestamp and certificate URL are checked before
 * anything is fetched, so a forged message never makes us fetch from its URL.
 * A `subscription` result is returned only when its SubscribeURL is https on the
 * same SNS host that signed it; the caller may then GET it to confirm.
 * @throws FeedbackFormatError the body is not an SNS message
 * @throws FeedbackAuthError forged, stale, untrusted certificate or topic
 */
export async function verifySnsMessage(body: unknown, options: SnsVerifyOptions): Promise<SnsVerified> {
  const parsed = v.safeParse(SnsMessage, body);
  if (!parsed.success) throw new FeedbackFormatError(`not an SNS message: ${v.summarize(parsed.issues)}`);
  const message = parsed.output;
  const now = options.now?.() ?? new Date();

  if (message.SignatureVersion !== '1' && message.SignatureVersion !== '2') {
    throw new FeedbackAuthError('signature', 'SignatureVersion must be "1" or "2"');
  }
  if (!options.allowedTopicArns.includes(message.TopicArn)) {
    throw new FeedbackAuthError('topic', 'TopicArn is not one we subscribed to');
  }
  const sentAt = Date.parse(message.Timestamp);
  const age = now.getTime() - sentAt;
  if (!Number.isFinite(sentAt) || age > MAX_AGE_MS || age < -MAX_AHEAD_MS) {
    throw new FeedbackAuthError('stale', 'SNS Timestamp is outside the accepted window');
  }
  const certUrl = signingCertUrl(message);
  verifySnsSignature(message, await options.fetchCertificate(certUrl.href), now);

  if (message.Type === 'SubscriptionConfirmation') {
    const url =
      message.SubscribeURL && URL.canParse(message.SubscribeURL) ? new URL(message.SubscribeURL) : null;
    if (!url || !isSnsUrl(url) || url.hostname !== certUrl.hostname) {
      throw new FeedbackAuthError('subscribe_url', 'SubscribeURL is not on the signing SNS host');
    }
    return { kind: 'subscription', topicArn: message.TopicArn, subscribeUrl: url.href };
  }
  if (message.Type === 'UnsubscribeConfirmation') {
    return { kind: 'unsubscribe', topicArn: message.TopicArn };
  }
  const events = sesEvents(message.Message, {
    snsMessageId: message.MessageId,
    receivedAt: new Date(sentAt),
  });
  return { kind: 'notification', topicArn: message.TopicArn, snsMessageId: message.MessageId, events };
}
