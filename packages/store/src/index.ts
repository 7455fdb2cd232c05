export { StoreKeys } from './keys';
export { randomToken, sha256Hex } from './hashing';
export { cachedLookup, type CachedLookup } from './cached-lookup';
export { TenantStore, type Tenant } from './tenant-store';
export { API_KEY_PREFIX, ApiKeyStore, type CreatedApiKey } from './api-key-store';
export { IdempotencyStore, type IdempotencyClaim } from './idempotency-store';
export { MessageStore, type NewMessage, type RecipientUpdate } from './message-store';
export { Stores } from './stores';
export { AnalyticsStore, type CountedEvent } from './analytics-store';
export { MessageSearch } from './message-search';
export { SuppressionStore } from './suppression-store';
export { DomainStore, publicDomain, type StoredDomain } from './domain-store';
export {
  DEFAULT_POLICY,
  PROVIDER_POLICIES,
  assertValidPolicy,
  normalizeDomain,
  policyFor,
  type DestinationOverrides,
  type DestinationPolicy,
} from './destination-limits/destination-policy';
export {
  DestinationOverridesError,
  parseDestinationOverrides,
} from './destination-limits/destination-overrides';
export {
  DEFAULT_LEASE_TTL_MS,
  PAUSED_RETRY_MS,
  DestinationLimiter,
  SLOWDOWN_FLOOR_PER_SECOND,
  type AcquireResult,
  type DestinationLimiterOptions,
  type Lease,
} from './destination-limits/destination-limiter';
export type { DestinationStatus, Refusal } from './destination-limits/limiter-replies';
export {
  EndpointStore,
  activeSecrets,
  type EndpointSecret,
  type StoredEndpoint,
} from './events/endpoint-store';
export { EventStore } from './events/event-store';
export { EventPublisher, webhookJob, type EventContext } from './events/event-publisher';
export { SeenStore } from './events/seen-store';
export { OperatorPauses, type PausedSet } from './operator-pauses';
