export { StoreKeys } from './keys';
export { randomToken, sha256Hex } from './hashing';
export { TenantStore, type Tenant } from './tenant-store';
export { API_KEY_PREFIX, ApiKeyStore, type CreatedApiKey } from './api-key-store';
export { IdempotencyStore, type IdempotencyClaim } from './idempotency-store';
export { MessageStore, type NewMessage, type RecipientUpdate } from './message-store';
export { Stores } from './stores';
export { AnalyticsStore } from './analytics-store';
