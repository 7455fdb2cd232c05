import * as v from 'valibot';
import { ANALYTICS_METRICS, EventType, SendEmailRequest } from '@mailq/contracts';

/**
 * Job payloads. Producers build them, typed, from input validated at the
 * edge; processors parse them, because data in Redis outlives the deploy that
 * wrote it.
 */
export const EmailJob = v.object({
  tenantId: v.string(),
  /** Our message id; also the BullMQ job id, so enqueueing twice is harmless. */
  id: v.string(),
  /** RFC 5322 Message-ID fixed at acceptance and reused on every attempt. */
  messageIdHeader: v.string(),
  acceptedAt: v.string(),
  email: SendEmailRequest,
});
export type EmailJob = v.InferOutput<typeof EmailJob>;

export const WebhookJob = v.object({
  tenantId: v.string(),
  endpointId: v.string(),
  eventId: v.string(),
  type: EventType,
  createdAt: v.string(),
  data: v.record(v.string(), v.unknown()),
});
export type WebhookJob = v.InferOutput<typeof WebhookJob>;

/** Feedback from a provider or a DSN/ARF report, already verified and normalised. */
export const BounceJob = v.object({
  tenantId: v.optional(v.string()),
  provider: v.string(),
  providerEventId: v.string(),
  type: v.picklist(['delivered', 'bounced', 'complained', 'opened', 'clicked']),
  bounceType: v.optional(v.picklist(['hard', 'soft'])),
  recipient: v.string(),
  messageId: v.optional(v.string()),
  occurredAt: v.string(),
  reason: v.optional(v.string()),
  status: v.optional(v.string()),
  url: v.optional(v.string()),
  userAgent: v.optional(v.string()),
});
export type BounceJob = v.InferOutput<typeof BounceJob>;

/** One event to count: what the analytics queue carried before counts were batched (still accepted). */
const CountedEventJob = v.object({
  tenantId: v.string(),
  metric: v.picklist(ANALYTICS_METRICS),
  at: v.string(),
  /** The sending domain and tags of the message, for grouping. */
  domain: v.optional(v.string()),
  tags: v.optional(v.array(v.object({ name: v.string(), value: v.string() }))),
});

/** Counts already added up by the publishing process: per tenant and UTC day, counter field → amount. */
const CountBatchJob = v.object({
  counts: v.array(
    v.object({
      tenantId: v.string(),
      day: v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}$/)),
      fields: v.record(v.string(), v.pipe(v.number(), v.integer())),
    }),
  ),
});

export const AnalyticsJob = v.union([CountBatchJob, CountedEventJob]);
export type AnalyticsJob = v.InferOutput<typeof AnalyticsJob>;

export const TrackingJob = v.object({
  tenantId: v.string(),
  messageId: v.string(),
  recipient: v.optional(v.string()),
  kind: v.picklist(['open', 'click']),
  url: v.optional(v.string()),
  at: v.string(),
  userAgent: v.optional(v.string()),
});
export type TrackingJob = v.InferOutput<typeof TrackingJob>;
