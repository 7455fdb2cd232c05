import type { RedisClient } from '@mailq/queues';
import { LABELS, mailqMetrics } from '@mailq/telemetry';
import type { BatchObservableResult } from '@opentelemetry/api';
import type { Queue } from 'bullmq';

/** One queue to report on: the catalog kind and, for the email queue, its partition. */
export interface ObservedQueue {
  queue: Queue;
  kind: string;
  partition: number;
}

export interface QueueDepthOptions {
  /** Bound on one reading, ms (default 2 000): a scrape during a Redis outage answers without gauges. */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Reports `mailq_queue_{waiting,active,delayed,failed}` and
 * `mailq_queue_oldest_waiting_age_seconds` per queue and partition as
 * observable gauges, read from Redis only when a reader collects (a Prometheus
 * scrape, or the OTLP push every minute) and never on a timer, so an idle
 * worker nobody scrapes sends no extra command. One reading costs, per queue,
 * three concurrent round trips — BullMQ's getCounts script (six O(1) reads
 * inside), an LINDEX and, when a job waits, an HMGET — 9 commands in all.
 *
 * Every worker process reports the same numbers (they read the same Redis),
 * so one series per (queue, partition) comes from each worker: aggregate with
 * `max by (queue, partition)`, never `sum` across instances. Workers, not the
 * API, report them because the autoscaler scales workers, and a fleet at zero
 * could not promote delayed retries anyway (minReplicaCount ≥ 1).
 *
 * Returns a function that stops reporting.
 */
export function observeQueueDepth(
  redis: RedisClient,
  queues: ObservedQueue[],
  options: QueueDepthOptions = {},
): () => void {
  const { meter, queueWaiting, queueActive, queueDelayed, queueFailed, queueOldestWaitingAge } =
    mailqMetrics();
  const gauges = [queueWaiting, queueActive, queueDelayed, queueFailed, queueOldestWaitingAge];
  const now = options.now ?? Date.now;
  const callback = async (result: BatchObservableResult): Promise<void> => {
    const readings = await withTimeout(
      Promise.all(queues.map(async (q) => ({ q, ...(await readQueue(redis, q.queue, now)) }))),
      options.timeoutMs ?? 2_000,
    ).catch(() => []);
    for (const { q, counts, oldestAgeS } of readings) {
      const labels = { [LABELS.queue]: q.kind, [LABELS.partition]: String(q.partition) };
      // Prioritized jobs are ready to run too; BullMQ keeps them in their own set.
      result.observe(queueWaiting, (counts.waiting ?? 0) + (counts.prioritized ?? 0), labels);
      result.observe(queueActive, counts.active ?? 0, labels);
      result.observe(queueDelayed, counts.delayed ?? 0, labels);
      result.observe(queueFailed, counts.failed ?? 0, labels);
      result.observe(queueOldestWaitingAge, oldestAgeS, labels);
    }
  };
  meter.addBatchObservableCallback(callback, gauges);
  return () => meter.removeBatchObservableCallback(callback, gauges);
}

async function readQueue(
  redis: RedisClient,
  queue: Queue,
  now: () => number,
): Promise<{ counts: Record<string, number>; oldestAgeS: number }> {
  const [counts, oldestAgeS] = await Promise.all([
    queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed'),
    oldestWaitingAge(redis, queue, now),
  ]);
  return { counts, oldestAgeS };
}

/**
 * Seconds since the next job to run became ready; 0 when none waits. BullMQ
 * pushes ready jobs on the left of the wait list and takes them from the
 * right, so the rightmost is the one waiting longest. It became ready when it
 * was added plus its delay, or — after a retry — when its last attempt began
 * plus the backoff BullMQ wrote into `delay` (so the age is over-stated by at
 * most that attempt's duration). Reading three fields, not the job, keeps the
 * body of a large message off the wire.
 */
async function oldestWaitingAge(redis: RedisClient, queue: Queue, now: () => number): Promise<number> {
  const id = await redis.lindex(queue.toKey('wait'), -1);
  if (!id) return 0;
  const [timestamp, delay, processedOn] = await redis.hmget(
    queue.toKey(id),
    'timestamp',
    'delay',
    'processedOn',
  );
  const readyAt = Math.max(Number(timestamp) || 0, Number(processedOn) || 0) + (Number(delay) || 0);
  return readyAt > 0 ? Math.max(0, (now() - readyAt) / 1000) : 0;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
