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
  MAX_SCHEDULE_AHEAD_MS,
  SendEmailRequest,
  SendEmailResponse,
  Tag,
  allRecipients,
  base64DecodedBytes,
  messageSizeBytes,
  type RenderedEmail,
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
export { PageQuery, decodeCursor, encodeCursor, pageOf, type Page } from './pagination';
export { BareAddress, Suppression, SuppressionInput, SuppressionReason } from './suppressions';
export { DnsRecord, Domain, DomainCheck, DomainInput } from './domains';
export { EmailSummary, ListEmailsQuery } from './list-emails';
export {
  JsonValue,
  SubjectLine,
  TEMPLATE_ID_PREFIX,
  TEMPLATE_NAME_PATTERN,
  Template,
  TemplateInput,
  TemplateUpdate,
  TemplateVariables,
  parseOrThrow,
} from './templates';
export { TEMPLATE_LIMITS } from './template-limits';
export { ConfigError, intVar, parseConfig } from './config';
export type {
  Backend,
  BatchItem,
  BatchItemError,
  DomainsPort,
  EmailsPort,
  Principal,
  Readiness,
  SendOptions,
  SuppressionsPort,
  TemplatesPort,
  TraceCarrier,
  AnalyticsPort,
  FeedbackPort,
  ProviderRequest,
  TrackingHit,
  TrackingPort,
  WebhooksPort,
} from './backend';
export {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointUpdate,
  WebhookEvent,
  WebhookReplayInput,
} from './webhooks';
export {
  ANALYTICS_METRICS,
  AnalyticsCounts,
  AnalyticsQuery,
  AnalyticsResult,
  type AnalyticsMetric,
} from './analytics';
export {
  RELAY_HEADERS,
  RELAY_MAX_SKEW_S,
  RELAY_METHODS,
  RELAY_RPC_PATH,
  RELAY_SECRET_MIN_LENGTH,
  isRelayMethod,
  type RelayMethod,
} from './relay-protocol';
