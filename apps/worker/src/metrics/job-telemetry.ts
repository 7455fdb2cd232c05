import { queueTelemetry } from '@mailq/queues';
import { BULLMQ_METER_NAME, lazyMeter } from '@mailq/telemetry';
import type { Telemetry } from 'bullmq';

/**
 * bullmq-otel's queue spans and context propagation, plus BullMQ's own job
 * metrics — `bullmq_jobs_{completed,failed,delayed,retried}_total` and the
 * `bullmq_job_duration` histogram (ms), labelled with the queue and job name.
 * BullMQ records them where a job finishes, in the worker, through
 * `telemetry.meter`; bullmq-otel would bind that meter at import, before
 * `startMetrics`, so a lazy one takes its place.
 */
export const jobTelemetry: Telemetry = {
  tracer: queueTelemetry.tracer,
  contextManager: queueTelemetry.contextManager,
  meter: lazyMeter(BULLMQ_METER_NAME),
};
