import type { JobsOptions } from 'bullmq';
import type * as v from 'valibot';
import { StoredEmailJob } from './email-body-packing';
import { AnalyticsJob, BounceJob, TrackingJob, WebhookJob } from './job-payloads';

export interface QueueDefinition<TSchema extends v.GenericSchema> {
  name: string;
  payload: TSchema;
  /** A processor run longer than this is abandoned and the attempt counts as failed. */
  timeoutMs: number;
  /** attempts, backoff and retention, set explicitly on every job. */
  jobOptions: JobsOptions;
}

/** Backoff type of email jobs; the worker's backoff strategy computes its delay. */
export const SMTP_RETRY_BACKOFF = 'smtp-retry';

/** Backoff type of webhook jobs; the worker's schedule computes its delay. */
export const WEBHOOK_RETRY_BACKOFF = 'webhook-retry';

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

/**
 * Every queue of DESIGN §4 with its payload schema and retry policy. Retention
 * keeps completed jobs briefly (they are already reflected in message records)
 * and failed ones for a week so operators can inspect and retry them.
 */
export const QUEUES = {
  email: {
    name: 'email',
    payload: StoredEmailJob,
    timeoutMs: 120_000,
    // Retries end when the message lifetime (default 5 days) is spent, which the
    // worker checks; attempts is only a backstop. The delay is computed by the
    // worker (`smtp-retry`: jittered exponential, clipped to the lifetime), so
    // it can change without rewriting queued jobs.
    jobOptions: {
      attempts: 1_000,
      backoff: { type: SMTP_RETRY_BACKOFF },
      removeOnComplete: { age: HOUR_S, count: 10_000 },
      removeOnFail: { age: 7 * DAY_S },
    },
  },
  webhook: {
    name: 'webhook',
    payload: WebhookJob,
    timeoutMs: 30_000,
    // 8 attempts over more than 24 h (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h:
    // the worker's `webhook-retry` schedule), as Svix and Resend do.
    jobOptions: {
      attempts: 8,
      backoff: { type: WEBHOOK_RETRY_BACKOFF },
      removeOnComplete: { age: DAY_S },
      removeOnFail: { age: 7 * DAY_S },
    },
  },
  bounce: {
    name: 'bounce',
    payload: BounceJob,
    timeoutMs: 30_000,
    jobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: HOUR_S },
      removeOnFail: { age: 7 * DAY_S },
    },
  },
  analytics: {
    name: 'analytics',
    payload: AnalyticsJob,
    timeoutMs: 10_000,
    jobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: DAY_S },
    },
  },
  tracking: {
    name: 'tracking',
    payload: TrackingJob,
    timeoutMs: 10_000,
    jobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 1_000 },
      removeOnComplete: true,
      removeOnFail: { age: DAY_S },
    },
  },
} as const satisfies Record<string, QueueDefinition<v.GenericSchema>>;

export type QueueKind = keyof typeof QUEUES;
export const QUEUE_KINDS = Object.keys(QUEUES) as QueueKind[];

/** The payload type of a queue, as processors get it from parsePayload. */
export type JobPayload<K extends QueueKind> = v.InferOutput<(typeof QUEUES)[K]['payload']>;
/** What producers write (an email job may have its body packed: see packEmailJob). */
export type JobData<K extends QueueKind> = v.InferInput<(typeof QUEUES)[K]['payload']>;

/** Default namespace: the seed guide's hash tag `{mail-queue}`. */
export const DEFAULT_NAMESPACE = 'mail-queue';

/**
 * BullMQ prefix for a namespace. The braces make it a Redis Cluster hash tag,
 * so every key of the queue (`{mail-queue}:email:…`) lands in one slot and the
 * Lua scripts never cross slots. (BullMQ 6 refuses ":" in queue names, hence
 * prefix + name instead of the seed's `{mail-queue}:email` name.)
 */
export function queuePrefix(namespace: string = DEFAULT_NAMESPACE): string {
  return `{${namespace}}`;
}
