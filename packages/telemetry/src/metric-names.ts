/** The meter of the project's own instruments (`otel_scope_name` in Prometheus). */
export const METER_NAME = 'mailq';

/** The meter bullmq-otel's job metrics are recorded under. */
export const BULLMQ_METER_NAME = 'bullmq';

/**
 * Every metric name of the project, in one place (STYLE.md). They are already
 * Prometheus names, because dashboards, alerts and the KEDA ScaledObject read
 * them as written: the Prometheus exporter appends `_total` to counters and
 * adds no unit suffix, so `emailsAccepted` is scraped as
 * `mailq_emails_accepted_total` and `queueWaiting` as `mailq_queue_waiting`.
 * (The `mailq_` prefix, not `mq.`, is part of that published contract.)
 */
export const METRICS = {
  /** Counter, messages stored durably by the relay (a 2xx was answered); labels tenant. */
  emailsAccepted: 'mailq_emails_accepted',
  /** Counters per recipient outcome; labels tenant, destination. */
  emailsDelivered: 'mailq_emails_delivered',
  emailsDeferred: 'mailq_emails_deferred',
  emailsBounced: 'mailq_emails_bounced',
  emailsFailed: 'mailq_emails_failed',
  emailsSuppressed: 'mailq_emails_suppressed',
  /** Counter per recipient of an SMTP transaction; labels class (2xx/4xx/5xx/none), outcome. */
  smtpReplies: 'mailq_smtp_replies',
  /** Counter per outbound webhook attempt; labels outcome. */
  webhookDeliveries: 'mailq_webhook_deliveries',
  /** Histogram, seconds; labels method, route, status. */
  ingestRequestDuration: 'mailq_ingest_request_duration_seconds',
  /** Histogram, seconds from acceptance (or the scheduled time) to the 250; labels destination. */
  deliveryLatency: 'mailq_delivery_latency_seconds',
  /** Observable gauges read from BullMQ on collection; labels queue, partition. */
  queueWaiting: 'mailq_queue_waiting',
  queueActive: 'mailq_queue_active',
  queueDelayed: 'mailq_queue_delayed',
  queueFailed: 'mailq_queue_failed',
  queueOldestWaitingAge: 'mailq_queue_oldest_waiting_age_seconds',
} as const;

/** Label (attribute) names of the project's metrics. */
export const LABELS = {
  tenant: 'tenant',
  destination: 'destination',
  replyClass: 'class',
  outcome: 'outcome',
  queue: 'queue',
  partition: 'partition',
  method: 'method',
  route: 'route',
  status: 'status',
} as const;
