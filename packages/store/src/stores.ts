import { LIMITS } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import { AnalyticsStore } from './analytics-store';
import { ApiKeyStore } from './api-key-store';
import { IdempotencyStore } from './idempotency-store';
import { StoreKeys } from './keys';
import { DomainStore } from './domain-store';
import { EndpointStore } from './events/endpoint-store';
import { EventStore } from './events/event-store';
import { SeenStore } from './events/seen-store';
import { MessageSearch } from './message-search';
import { OperatorPauses } from './operator-pauses';
import { MessageStore } from './message-store';
import { SuppressionStore } from './suppression-store';
import { TenantStore } from './tenant-store';

/** All repositories on one connection and namespace. */
export class Stores {
  readonly keys: StoreKeys;
  readonly tenants: TenantStore;
  readonly apiKeys: ApiKeyStore;
  readonly idempotency: IdempotencyStore;
  readonly messages: MessageStore;
  readonly analytics: AnalyticsStore;
  readonly search: MessageSearch;
  readonly suppressions: SuppressionStore;
  readonly domains: DomainStore;
  readonly endpoints: EndpointStore;
  readonly events: EventStore;
  readonly seen: SeenStore;
  readonly pauses: OperatorPauses;

  constructor(redis: RedisClient, namespace?: string) {
    this.keys = new StoreKeys(namespace);
    this.tenants = new TenantStore(redis, this.keys);
    this.apiKeys = new ApiKeyStore(redis, this.keys);
    this.idempotency = new IdempotencyStore(redis, this.keys, LIMITS.idempotencyTtlSeconds);
    this.messages = new MessageStore(redis, this.keys);
    this.analytics = new AnalyticsStore(redis, this.keys);
    this.search = new MessageSearch(redis, this.keys, this.messages);
    this.suppressions = new SuppressionStore(redis, this.keys);
    this.domains = new DomainStore(redis, this.keys);
    this.endpoints = new EndpointStore(redis, this.keys);
    this.events = new EventStore(redis, this.keys);
    this.seen = new SeenStore(redis, this.keys);
    this.pauses = new OperatorPauses(redis, this.keys);
  }
}
