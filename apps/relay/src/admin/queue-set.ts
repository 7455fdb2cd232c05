import {
  EmailQueues,
  QUEUE_KINDS,
  createQueue,
  type PartitionLayout,
  type QueueKind,
  type RedisClient,
} from '@mailq/queues';
import type { Queue } from 'bullmq';

export interface QueueEntry {
  kind: QueueKind;
  /** Partition of the email queue (its index in the stored layout); 0 for the other queues. */
  partition: number;
  queue: Queue;
}

/** Every queue of a deployment: each partition of `email` in the layout, then the other four. */
export function queueSet(
  redis: RedisClient,
  namespace: string | undefined,
  layout: PartitionLayout,
): QueueEntry[] {
  const email = new EmailQueues(redis, namespace, layout).queues.map((queue, partition) => ({
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
