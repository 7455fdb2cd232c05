import * as v from 'valibot';
import { EventType } from './message-status';

const WebhookUrl = v.pipe(
  v.string('url must be a string'),
  v.maxLength(2048, 'url must be at most 2048 characters'),
  v.url('url must be an absolute URL'),
  v.regex(/^https?:\/\//i, 'url must be http or https'),
);

/** `POST /v1/webhooks`: where to deliver which events. */
export const WebhookEndpointInput = v.strictObject({
  url: WebhookUrl,
  /** Event types to deliver; all of them when omitted. */
  event_types: v.optional(v.pipe(v.array(EventType), v.minLength(1, 'event_types must not be empty'))),
  description: v.optional(v.pipe(v.string(), v.maxLength(500))),
  enabled: v.optional(v.boolean(), true),
});
export type WebhookEndpointInput = v.InferOutput<typeof WebhookEndpointInput>;

/** `PATCH /v1/webhooks/:id`; `rotate_secret` issues a new secret and keeps the old one valid for 24 h. */
export const WebhookEndpointUpdate = v.pipe(
  v.strictObject({
    url: v.optional(WebhookUrl),
    event_types: v.optional(v.pipe(v.array(EventType), v.minLength(1, 'event_types must not be empty'))),
    description: v.optional(v.pipe(v.string(), v.maxLength(500))),
    enabled: v.optional(v.boolean()),
    rotate_secret: v.optional(v.literal(true)),
  }),
  v.check((u) => Object.keys(u).length > 0, 'send at least one field to change'),
);
export type WebhookEndpointUpdate = v.InferOutput<typeof WebhookEndpointUpdate>;

export const WebhookEndpoint = v.object({
  id: v.string(),
  url: v.string(),
  event_types: v.array(EventType),
  description: v.optional(v.string()),
  enabled: v.boolean(),
  /** Why the platform disabled it (failing for days), if it did. */
  disabled_reason: v.optional(v.string()),
  failing_since: v.optional(v.string()),
  created_at: v.string(),
  /** Shown when created and when rotated; verify deliveries with it (Standard Webhooks). */
  secret: v.optional(v.string()),
});
export type WebhookEndpoint = v.InferOutput<typeof WebhookEndpoint>;

const IsoTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp'));

/** `POST /v1/webhooks/:id/replay`: re-send the events of a time range to this endpoint. */
export const WebhookReplayInput = v.strictObject({ from: IsoTime, to: IsoTime });
export type WebhookReplayInput = v.InferOutput<typeof WebhookReplayInput>;

/** One delivery attempt in an endpoint's log. */
export const WebhookDelivery = v.object({
  event_id: v.string(),
  type: EventType,
  at: v.string(),
  attempt: v.number(),
  ok: v.boolean(),
  status: v.optional(v.number()),
  duration_ms: v.number(),
  error: v.optional(v.string()),
});
export type WebhookDelivery = v.InferOutput<typeof WebhookDelivery>;

/** The JSON body of every outbound event. */
export const WebhookEvent = v.object({
  id: v.string(),
  type: EventType,
  created_at: v.string(),
  data: v.record(v.string(), v.unknown()),
});
export type WebhookEvent = v.InferOutput<typeof WebhookEvent>;
