import { parsePayload } from '@mailq/queues';
import type { AnalyticsStore } from '@mailq/store';
import type { Job } from 'bullmq';

/** Folds one event into the tenant's daily counters (by hour, sending domain and tag). */
export function analyticsProcessor(analytics: AnalyticsStore) {
  return async function processAnalytics(job: Job): Promise<void> {
    const event = parsePayload('analytics', job.data);
    await analytics.increment({
      tenantId: event.tenantId,
      metric: event.metric,
      at: new Date(event.at),
      ...(event.domain ? { domain: event.domain } : {}),
      ...(event.tags ? { tags: event.tags } : {}),
    });
  };
}
