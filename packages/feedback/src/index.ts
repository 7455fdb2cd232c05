export {
  FeedbackEvent,
  FeedbackProvider,
  FeedbackType,
  MAX_REASON_LENGTH,
  ourMessageId,
} from './feedback-event';
export { FeedbackAuthError, FeedbackFormatError, type FeedbackAuthReason } from './errors';
export { FEEDBACK_RESPONSE_STATUS, type FeedbackOutcome } from './provider-responses';
export { verifySnsMessage, type SnsVerified, type SnsVerifyOptions } from './ses-sns';
export { SnsMessage } from './sns-signature';
export { createSnsCertificateFetcher, type SnsCertificateFetcherOptions } from './sns-certificate-fetcher';
export { verifySendgrid, type SendgridRequest, type SendgridVerifyOptions } from './sendgrid';
export { verifyMailgun, type MailgunVerifyOptions } from './mailgun';
export { verifyPostmark, type PostmarkRequest, type PostmarkVerifyOptions } from './postmark';
export { POSTMARK_BOUNCE_TYPES, type PostmarkBounceKind } from './postmark-bounce-types';
export { parseDsn } from './dsn/parse-dsn';
export { parseArf } from './dsn/parse-arf';
export type { MailedReportOptions } from './dsn/message-link';
export { parseVerp, verpAddress } from './verp';
