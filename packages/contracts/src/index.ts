export { LIMITS } from './limits';
export { HeaderName, RESERVED_HEADERS, headerSafe } from './header-safety';
export {
  AddressList,
  EmailAddress,
  bareAddress,
  domainOf,
  isValidAddress,
  parseMailbox,
} from './email-address';
export {
  Attachment,
  SendEmailRequest,
  SendEmailResponse,
  Tag,
  allRecipients,
  base64DecodedBytes,
  messageSizeBytes,
} from './send-email';
export { BatchItemResult, BatchRequest, BatchResponse } from './batch';
export {
  ApiError,
  ERROR_STATUS,
  ErrorBody,
  ErrorCode,
  ErrorEnvelope,
  ValidationIssue,
  toValidationIssues,
} from './errors';
export {
  EmailEvent,
  EmailStatusResponse,
  EventType,
  MessageStatus,
  RecipientState,
  TERMINAL_STATUSES,
  overallStatus,
} from './message-status';
export type {
  Backend,
  BatchItem,
  BatchItemError,
  Principal,
  Readiness,
  SendOptions,
  TraceCarrier,
} from './backend';
export { ConfigError, intVar, parseConfig } from './config';
