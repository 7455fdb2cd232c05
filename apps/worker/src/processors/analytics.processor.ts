import { parsePayload } from '@mailq/queues';
import type { AnalyticsStore } from '@mailq/store';
import type { Job } from 'bullmq';

/** Folds one event into the tenant's hourly and daily counters. */
export function analyticsProcessor(analytics: AnalyticsStore) {
  return async function processAnalytics(job: Job): Promise<void> {
    const event = parsePayload('analytics', job.data);
    await analytics.increment(event.tenantId, event.event, new Date(event.at));
  };
}
