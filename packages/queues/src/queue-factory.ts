import { Queue, UnrecoverableError } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import * as v from 'valibot';
import { QUEUES, queuePrefix, type JobData, type JobPayload, type QueueKind } from './catalog';
import type { RedisClient } from './redis-connection';

/** Queue spans and context propagation through job options (bullmq-otel). */
export const queueTelemetry = new BullMQOtel({ tracerName: 'mail-queue' });

/** A BullMQ queue from the catalog, on a shared producer connection. */
export function createQueue(
  kind: QueueKind,
  connection: RedisClient,
  namespace?: string,
  prefix?: string,
): Queue {
  const queue = new Queue(QUEUES[kind].name, {
    connection,
    prefix: prefix ?? queuePrefix(namespace),
    telemetry: queueTelemetry,
    defaultJobOptions: QUEUES[kind].jobOptions,
  });
  // The queue re-emits its connection's errors. The connection's owner logs them once (and
  // every failed command surfaces to its caller); unheard, BullMQ prints each to stderr.
  queue.on('error', () => undefined);
  return queue;
}

/**
 * Adds a job with the job id given (the message id), so a second add of the
 * same id is a no-op. The payload is not parsed here: its type is the
 * catalog's and producers build it from input already validated at the edge;
 * the processor parses it (see parsePayload). Parsing on both sides cost the
 * hot path a second walk of every message.
 */
export async function enqueue<K extends QueueKind>(
  queue: Queue,
  kind: K,
  jobId: string,
  payload: JobData<K>,
): Promise<void> {
  await queue.add(kind, payload, { ...QUEUES[kind].jobOptions, jobId });
}

/**
 * Parses a job's data against the catalog schema. A payload that does not
 * parse will not parse on a retry either, so it fails the job for good
 * (UnrecoverableError) instead of burning every attempt.
 */
export function parsePayload<K extends QueueKind>(kind: K, data: unknown): JobPayload<K> {
  const result = v.safeParse(QUEUES[kind].payload, data);
  if (result.success) return result.output as JobPayload<K>;
  const where = result.issues.map(
    (i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')}: ${i.message}`,
  );
  throw new UnrecoverableError(`invalid ${kind} job payload (${where.slice(0, 3).join('; ')})`);
}

/** `enqueue` for many jobs in one round trip (BullMQ `addBulk`, one MULTI on the queue's slot). */
export async function enqueueBulk<K extends QueueKind>(
  queue: Queue,
  kind: K,
  jobs: { jobId: string; payload: JobData<K>; delayMs?: number }[],
): Promise<void> {
  await queue.addBulk(
    jobs.map(({ jobId, payload, delayMs }) => ({
      name: kind,
      data: payload,
      opts: { ...QUEUES[kind].jobOptions, jobId, ...(delayMs ? { delay: delayMs } : {}) },
    })),
  );
}
