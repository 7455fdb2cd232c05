export { generateWebhookSecret, signWebhook, type SignWebhookInput } from './webhook-signer';
export {
  isForbiddenAddress,
  parseWebhookUrl,
  WebhookUrlError,
  type AddressPolicy,
  type WebhookUrlErrorCode,
} from './ssrf-guard';
export { BlockedAddressError, guardedLookup } from './guarded-lookup';
export {
  deliverWebhook,
  type DeliverWebhookOptions,
  type WebhookAttempt,
  type WebhookRequest,
} from './webhook-client';
export { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS, webhookRetryDelay } from './retry-schedule';
