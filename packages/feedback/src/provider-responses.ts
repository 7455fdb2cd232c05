/** What became of one webhook request, as far as the HTTP answer is concerned. */
export type FeedbackOutcome =
  | 'ok' // verified and stored (or verified and deliberately ignored)
  | 'auth' // FeedbackAuthError: forged, stale, replayed, not allowed
  | 'format' // FeedbackFormatError: authentic but malformed
  | 'retry_later'; // our fault and transient: storage down, certificate fetch failed, …

/**
 * The HTTP status to answer each provider with, per outcome. What each provider
 * does with a status decides whether an event we failed to store is ever sent
 * again, so our transient errors must get a status the provider retries, and a
 * refusal one it does not:
 *
 * - SES via SNS: 200–499 count as delivered and are never retried; only 5xx and
 *   timeouts are (default policy: 3 retries 20 s apart; a custom delivery policy
 *   may stretch that to 3600 s, or attach a dead-letter queue). So a storage
 *   error must be 5xx, and 4xx is final.
 * - SendGrid: any non-2xx is retried at growing intervals for up to 24 h.
 *   Refusals are therefore retried too — harmless, and it gives us a day to fix
 *   a rotated verification key.
 * - Mailgun: 200 is success, 406 stops retries, anything else is retried for
 *   8 h (5 min, 10 min, 15 min, 1 h, 2 h, 4 h; `delivered` webhooks are never
 *   retried). Retries reportedly resend the original signature, which the 5 min
 *   window and one-time tokens then refuse: answer 406 to refusals, and do not
 *   count on retries after a storage error (enqueue durably before answering).
 * - Postmark: not signed; 403 stops retries, other failures are retried
 *   (historically 10 times over ~10.5 h; the newer policy retries only 5xx, 408,
 *   429 and timeouts, so any other 4xx is final there too).
 * - DSN / ARF arrive by SMTP, not HTTP: accept with 250 once stored; a storage
 *   error is `451 4.3.0` so the reporting MTA retries; never reject a report
 *   with 5xx (a bounce to a null sender goes to a postmaster as a double bounce),
 *   accept and drop one we cannot parse.
 */
export const FEEDBACK_RESPONSE_STATUS = {
  ses: { ok: 200, auth: 403, format: 400, retry_later: 503 },
  sendgrid: { ok: 200, auth: 403, format: 400, retry_later: 503 },
  mailgun: { ok: 200, auth: 406, format: 406, retry_later: 503 },
  postmark: { ok: 200, auth: 403, format: 400, retry_later: 503 },
} as const satisfies Record<string, Record<FeedbackOutcome, number>>;
