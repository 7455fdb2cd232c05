import { DEFAULT_NAMESPACE } from '@mailq/queues';

/**
 * Every key the store writes. Each one carries a hash tag (`{…}`) naming the
 * record it belongs to, so keys that are written together (a message and its
 * events) share a slot on Redis Cluster and no multi-key command crosses slots,
 * while different records spread over all masters.
 */
export class StoreKeys {
  constructor(readonly namespace: string = DEFAULT_NAMESPACE) {}

  tenant(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}`;
  }

  tenantKeys(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:keys`;
  }

  /** Sorted set of a tenant's messages by acceptance time, for search. */
  tenantEmails(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:emails`;
  }

  /** Hash of suppressed addresses → JSON entry, plus a lexically sorted index for paging. */
  suppressions(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:suppressions`;
  }

  suppressionIndex(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:suppressions:index`;
  }

  /** Hash of a tenant's sending domains (id → JSON) and its name → id index. */
  domains(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:domains`;
  }

  domainNames(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:domain-names`;
  }

  /** STRING present while an operator holds the tenant's mail (`mailq queue pause-tenant`). */
  tenantPaused(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:paused`;
  }

  /** SET of what operators have paused (`tenant:<id>`, `domain:<domain>`), for listing. */
  pausedIndex(): string {
    return `${this.namespace}:{paused}`;
  }

  tenantIndex(): string {
    return `${this.namespace}:{tenants}`;
  }

  apiKey(secretHash: string): string {
    return `${this.namespace}:{apikey:${secretHash}}`;
  }

  idempotency(tenantId: string, keyHash: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:idem:${keyHash}`;
  }

  /** One hash of counters per tenant and UTC day (fields `<dimension>|<metric>`). */
  stats(tenantId: string, day: string): string {
    return `${this.namespace}:{stats:${tenantId}}:${day}`;
  }

  /** Webhook endpoints of a tenant (hash id → JSON). */
  webhookEndpoints(tenantId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:webhooks`;
  }

  /** The last deliveries to one endpoint (capped list, newest first). */
  webhookDeliveries(tenantId: string, endpointId: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:webhook:${endpointId}:log`;
  }

  /** A tenant's events: a time index and the events themselves, for replay. */
  eventIndex(tenantId: string): string {
    return `${this.namespace}:{events:${tenantId}}:index`;
  }

  events(tenantId: string): string {
    return `${this.namespace}:{events:${tenantId}}:data`;
  }

  /** Marks a provider event or Mailgun token as seen (de-duplication). */
  seen(scope: string, id: string): string {
    return `${this.namespace}:{seen:${scope}:${id}}`;
  }

  message(id: string): string {
    return `${this.namespace}:{msg:${id}}`;
  }

  messageEvents(id: string): string {
    return `${this.namespace}:{msg:${id}}:events`;
  }
}
