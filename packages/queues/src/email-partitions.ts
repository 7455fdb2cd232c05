import type { Job, Queue } from 'bullmq';
import type { PartitionLayout } from './partition-layout';
import { createQueue } from './queue-factory';
import type { RedisClient } from './redis-connection';
import { resolvePartitionLayout } from './resolve-partition-layout';

/** The partition a message belongs to: a stable hash of its id (FNV-1a, 32 bit). */
export function partitionOf(id: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * The email queue split over hash tags, one queue per partition of a layout.
 * On Redis Cluster one queue lives in one slot, so on one master; the layout
 * puts the partitions on distinct masters (`resolvePartitionLayout`).
 */
export class EmailQueues {
  readonly queues: Queue[];

  constructor(
    connection: RedisClient,
    namespace: string | undefined,
    readonly layout: PartitionLayout,
  ) {
    this.queues = layout.prefixes.map((prefix) => createQueue('email', connection, namespace, prefix));
  }

  /** The email queues of the namespace's stored layout, extended to `partitions` if shorter. */
  static async open(
    connection: RedisClient,
    namespace: string | undefined,
    partitions: number,
  ): Promise<EmailQueues> {
    return new EmailQueues(
      connection,
      namespace,
      await resolvePartitionLayout(connection, namespace, partitions),
    );
  }

  /** The queue taking message `id`: one of the first QUEUE_PARTITIONS, by a hash of the id. */
  of(id: string): Queue {
    return this.queues[partitionOf(id, this.layout.partitions)] as Queue;
  }

  /**
   * Message `id`'s job, wherever it is: in the queue `of(id)` names, or — for mail queued before
   * QUEUE_PARTITIONS changed, which hashed over a different count — in another stored partition.
   */
  async jobOf(id: string): Promise<Job | undefined> {
    const first = this.of(id);
    const job = await first.getJob(id);
    if (job) return job;
    for (const queue of this.queues) {
      if (queue === first) continue;
      const found = await queue.getJob(id);
      if (found) return found;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
