/**
 * Size limits of the public API, in one place so the schemas, the ingest body
 * limit and the docs agree. They follow what Postmark, SES and Resend accept.
 */
export const LIMITS = {
  /** to + cc + bcc of one message (Postmark: 50). */
  maxRecipients: 50,
  /** RFC 5322 §2.1.1: a header line must not exceed 998 characters. */
  maxSubjectChars: 998,
  maxHeaderValueChars: 998,
  maxCustomHeaders: 50,
  maxAttachments: 20,
  /** Decoded bytes of one attachment. */
  maxAttachmentBytes: 10 * 1024 * 1024,
  /** text + html + decoded attachments of one message (SES v2: 10 MB after encoding is ~7.5 MB raw). */
  maxMessageBytes: 10 * 1024 * 1024,
  maxTags: 20,
  maxMetadataKeys: 20,
  maxMetadataValueChars: 500,
  maxBatchItems: 500,
  /** HTTP body of a single send: a 10 MB message grows by a third in base64, plus JSON. */
  maxSingleBodyBytes: 15 * 1024 * 1024,
  /** HTTP body of a batch send. */
  maxBatchBodyBytes: 40 * 1024 * 1024,
  /** Idempotency keys are remembered this long (24 h, as Stripe and Resend do). */
  idempotencyTtlSeconds: 24 * 60 * 60,
} as const;
