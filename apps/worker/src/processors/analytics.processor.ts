import { parsePayload } from '@mailq/queues';
import type { AnalyticsStore } from '@mailq/store';
import type { Job } from 'bullmq';

/**
 * Folds counts into the tenants' daily counters (by hour, sending domain and
 * tag): a batch added up by a publishing process, or — from jobs queued before
 * counts were batched — one event.
 */
export function analyticsProcessor(analytics: AnalyticsStore) {
  return async function processAnalytics(job: Job): Promise<void> {
    const payload = parsePayload('analytics', job.data);
    if ('counts' in payload) {
      await analytics.add(payload.counts);
      return;
    }
    await analytics.increment({
      tenantId: payload.tenantId,
      metric: payload.metric,
      at: new Date(payload.at),
      ...(payload.domain ? { domain: payload.domain } : {}),
      ...(payload.tags ? { tags: payload.tags } : {}),
    });
  };
}
