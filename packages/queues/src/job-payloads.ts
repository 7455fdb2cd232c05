import * as v from 'valibot';
import { EventType, SendEmailRequest } from '@mailq/contracts';

/**
 * Job payloads. Producers validate before `add`; processors parse again,
 * because data in Redis outlives the deploy that wrote it.
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
  data: v.record(v.string(), v.unknown()),
});
export type WebhookJob = v.InferOutput<typeof WebhookJob>;

export const BounceJob = v.object({
  tenantId: v.optional(v.string()),
  source: v.picklist(['dsn', 'provider']),
  /** The raw DSN (RFC 3464) or the provider's normalised event. */
  raw: v.string(),
});
export type BounceJob = v.InferOutput<typeof BounceJob>;

export const AnalyticsJob = v.object({
  tenantId: v.string(),
  messageId: v.string(),
  event: EventType,
  at: v.string(),
});
export type AnalyticsJob = v.InferOutput<typeof AnalyticsJob>;

export const TrackingJob = v.object({
  tenantId: v.string(),
  messageId: v.string(),
  kind: v.picklist(['open', 'click']),
  url: v.optional(v.string()),
  at: v.string(),
  userAgent: v.optional(v.string()),
});
export type TrackingJob = v.InferOutput<typeof TrackingJob>;
