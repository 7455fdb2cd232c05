import { EmailQueues, QUEUE_KINDS, createQueue, type QueueKind, type RedisClient } from '@mailq/queues';
import type { Queue } from 'bullmq';

export interface QueueEntry {
  kind: QueueKind;
  /** Partition of the email queue (QUEUE_PARTITIONS); 0 for the other queues. */
  partition: number;
  queue: Queue;
}

/** Every queue of a deployment: each partition of `email`, then the other four. */
export function queueSet(
  redis: RedisClient,
  namespace: string | undefined,
  partitions: number,
): QueueEntry[] {
  const email = new EmailQueues(redis, namespace, partitions).queues.map((queue, partition) => ({
    kind: 'email' as const,
    partition,
    queue,
  }));
  const others = QUEUE_KINDS.filter((kind) => kind !== 'email').map((kind) => ({
    kind,
    partition: 0,
    queue: createQueue(kind, redis, namespace),
  }));
  return [...email, ...others];
}
