import type { Queue } from 'bullmq';
import { queuePrefix } from './catalog';
import { createQueue } from './queue-factory';
import type { RedisClient } from './redis-connection';

/**
 * The email queue split over `partitions` hash tags. On Redis Cluster one
 * queue lives in one slot, so on one master; distinct tags spread the load
 * over all masters. Partition 0 keeps the plain `{namespace}` tag, so a
 * deployment with one partition (the default) has the seed guide's layout.
 */
export function partitionPrefix(namespace: string | undefined, partition: number): string {
  const base = queuePrefix(namespace);
  return partition === 0 ? base : `${base.slice(0, -1)}-p${partition}}`;
}

/** The partition a message belongs to: a stable hash of its id (FNV-1a, 32 bit). */
export function partitionOf(id: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/** One email queue per partition, for producers (the relay) and for inspection. */
export class EmailQueues {
  readonly queues: Queue[];

  constructor(
    connection: RedisClient,
    namespace: string | undefined,
    readonly partitions = 1,
  ) {
    this.queues = Array.from({ length: partitions }, (_, p) =>
      createQueue('email', connection, namespace, partitionPrefix(namespace, p)),
    );
  }

  /** The queue holding message `id`. */
  of(id: string): Queue {
    return this.queues[partitionOf(id, this.partitions)] as Queue;
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
