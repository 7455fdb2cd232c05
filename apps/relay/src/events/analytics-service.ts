import type { AnalyticsPort, AnalyticsQuery, AnalyticsResult, Principal } from '@mailq/contracts';
import type { AnalyticsStore } from '@mailq/store';
import { durably } from '../storage-errors';

/** `GET /v1/analytics`: answered from the daily aggregates, never by scanning messages. */
export class AnalyticsService implements AnalyticsPort {
  constructor(private readonly store: AnalyticsStore) {}

  query(principal: Principal, query: AnalyticsQuery): Promise<AnalyticsResult> {
    return durably(() => this.store.query(principal.tenantId, query));
  }
}
