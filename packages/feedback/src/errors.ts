/** Why a feedback request was refused as not authentic. */
export type FeedbackAuthReason =
  | 'signature' // missing, malformed or wrong signature / signature version
  | 'stale' // signed timestamp outside the accepted window
  | 'replayed' // a one-time token seen before
  | 'certificate' // signing certificate URL or certificate not trusted
  | 'topic' // SNS topic not in the allowlist
  | 'subscribe_url' // SNS SubscribeURL not on the signing SNS host
  | 'credentials' // wrong or missing HTTP Basic credentials
  | 'address'; // client address not in the allowlist

/**
 * The request is forged, stale, replayed or from a sender we do not accept.
 * A permanent "you are not allowed": answer with the status that provider's
 * table in `provider-responses.ts` gives for `auth`, never with a retryable one.
 */
export class FeedbackAuthError extends Error {
  override readonly name = 'FeedbackAuthError';

  constructor(
    readonly reason: FeedbackAuthReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request is authentic (or carries no authentication) but its body is
 * not the provider's documented shape: answer 400-class, see `provider-responses.ts`.
 */
export class FeedbackFormatError extends Error {
  override readonly name = 'FeedbackFormatError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
