import type { AnalyticsMetric, EventType, WebhookEvent } from '@mailq/contracts';
import { QUEUES, type JobPayload } from '@mailq/queues';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { cachedLookup, type CachedLookup } from '../cached-lookup';
import { AnalyticsBatcher } from './analytics-batcher';
import type { EndpointStore, StoredEndpoint } from './endpoint-store';
import type { EventStore } from './event-store';

/** What an event is about, for analytics grouping. */
export interface EventContext {
  /** Sending domain (From). */
  domain?: string;
  tags?: { name: string; value: string }[];
}

const METRIC: Partial<Record<EventType, AnalyticsMetric>> = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.deferred': 'deferred',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.failed': 'failed',
  'email.suppressed': 'suppressed',
};

/** How long a process trusts its copy of a tenant's endpoint list (a new endpoint is live within this). */
const ENDPOINT_CACHE_MS = 5_000;

/**
 * Publishes what happened to a message: stores the event (for replay), adds
 * one webhook job per subscribed endpoint (job id = event id + endpoint id,
 * so a re-publish is harmless) and counts it for analytics (added up per
 * window, see AnalyticsBatcher).
 */
export class EventPublisher {
  private readonly counts: AnalyticsBatcher;
  /** The tenant's endpoints, cached: a new endpoint is live within ENDPOINT_CACHE_MS. */
  private readonly endpointsOf: CachedLookup<StoredEndpoint[]>;

  constructor(
    private readonly deps: {
      events: EventStore;
      endpoints: EndpointStore;
      webhookQueue: Queue;
      analyticsQueue: Queue;
      now?: () => Date;
    },
  ) {
    this.counts = new AnalyticsBatcher(deps.analyticsQueue);
    this.endpointsOf = cachedLookup(ENDPOINT_CACHE_MS, (tenantId) => deps.endpoints.list(tenantId));
  }

  async publish(
    tenantId: string,
    type: EventType,
    data: Record<string, unknown>,
    context: EventContext = {},
  ): Promise<WebhookEvent> {
    const [event] = await this.publishAll(tenantId, [{ type, data }], context);
    return event as WebhookEvent;
  }

  /**
   * Publishes several events of one tenant at once: stored in one script call,
   * their webhook jobs in one addBulk — a delivery's events cost one round trip,
   * not one each.
   */
  async publishAll(
    tenantId: string,
    items: Array<{ type: EventType; data: Record<string, unknown> }>,
    context: EventContext = {},
  ): Promise<WebhookEvent[]> {
    const now = this.deps.now?.() ?? new Date();
    const events: WebhookEvent[] = items.map(({ type, data }) => ({
      id: `evt_${randomUUID()}`,
      type,
      created_at: now.toISOString(),
      data,
    }));
    // The stored events and the endpoint list do not depend on each other: read and written side by side.
    const [, endpoints] = await Promise.all([
      this.deps.events.add(tenantId, ...events),
      this.endpointsOf(tenantId),
    ]);
    const jobs = events.flatMap((event) =>
      endpoints
        .filter((e) => e.enabled && e.event_types.includes(event.type))
        .map((endpoint) => webhookJob(tenantId, endpoint.id, event, event.id)),
    );
    if (jobs.length > 0) await this.deps.webhookQueue.addBulk(jobs);
    for (const event of events) {
      const metric = METRIC[event.type];
      if (!metric) continue;
      this.counts.add({
        tenantId,
        metric,
        at: now,
        ...(context.domain ? { domain: context.domain } : {}),
        ...(context.tags?.length ? { tags: context.tags } : {}),
      });
    }
    return events;
  }

  /** Whether any of the tenant's enabled endpoints subscribes to `type` (cached like the endpoint list). */
  async subscribes(tenantId: string, type: EventType): Promise<boolean> {
    return (await this.subscribed(tenantId, type)).length > 0;
  }

  /** Sends the counts still being added up, then closes the queues it publishes to. */
  async close(): Promise<void> {
    await this.counts.close();
    await Promise.all([this.deps.webhookQueue.close(), this.deps.analyticsQueue.close()]);
  }

  /** Forgets cached endpoint lists (after an endpoint changed in this process). */
  invalidate(tenantId: string): void {
    this.endpointsOf.forget(tenantId);
  }

  private async subscribed(tenantId: string, type: EventType): Promise<StoredEndpoint[]> {
    return (await this.endpointsOf(tenantId)).filter((e) => e.enabled && e.event_types.includes(type));
  }
}

/** A webhook job for one event and endpoint; `jobKey` makes a replay a new job rather than a no-op. */
export function webhookJob(tenantId: string, endpointId: string, event: WebhookEvent, jobKey: string) {
  const data: JobPayload<'webhook'> = {
    tenantId,
    endpointId,
    eventId: event.id,
    type: event.type,
    createdAt: event.created_at,
    data: event.data,
  };
  return { name: 'webhook', data, opts: { ...QUEUES.webhook.jobOptions, jobId: `${jobKey}_${endpointId}` } };
}
