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

  tenantIndex(): string {
    return `${this.namespace}:{tenants}`;
  }

  apiKey(secretHash: string): string {
    return `${this.namespace}:{apikey:${secretHash}}`;
  }

  idempotency(tenantId: string, keyHash: string): string {
    return `${this.namespace}:{tenant:${tenantId}}:idem:${keyHash}`;
  }

  stats(tenantId: string): string {
    return `${this.namespace}:{stats:${tenantId}}`;
  }

  message(id: string): string {
    return `${this.namespace}:{msg:${id}}`;
  }

  messageEvents(id: string): string {
    return `${this.namespace}:{msg:${id}}:events`;
  }
}
