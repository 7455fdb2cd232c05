import { Cluster } from 'ioredis';
import { QUEUES, queuePrefix } from './catalog';
import {
  MAX_PARTITIONS,
  extendLayout,
  partitionPrefix,
  type ClusterFacts,
  type PartitionLayout,
  type SlotRange,
} from './partition-layout';
import type { RedisClient } from './redis-connection';

/**
 * Where a namespace's layout is stored: a list of prefixes on the namespace's
 * own tag (so it travels with the queues in `redis-cli --cluster import`).
 * BullMQ's keys are `<prefix>:<queue>:…`, so this two-part name is none of theirs.
 */
export function layoutKey(namespace: string | undefined): string {
  return `${queuePrefix(namespace)}:email-partitions`;
}

// Appends only if the list still has the length the caller read: of two processes extending the
// layout at once, one appends and the other gets the winner's list back (and re-reads it).
const APPEND_IF_UNCHANGED = `
if redis.call('LLEN', KEYS[1]) == tonumber(ARGV[1]) then
  redis.call('RPUSH', KEYS[1], unpack(ARGV, 2))
end
return redis.call('LRANGE', KEYS[1], 0, -1)`;

// BullMQ keys that exist once a queue has had a job (`meta` stays after it drains) or is paused.
const QUEUE_STATE_KEYS = ['meta', 'id', 'wait', 'paused', 'active', 'delayed', 'prioritized', 'failed'];

const ATTEMPTS = 5;

/**
 * The email queue's partition layout for `partitions` (QUEUE_PARTITIONS): the
 * stored one, extended first when it is shorter (see `extendLayout` for how
 * names are chosen). Every process calls this at start, so producers, workers
 * and the admin all use the same names; a stored layout is never rewritten, so
 * a reshard or a new QUEUE_PARTITIONS never renames a partition.
 */
export async function resolvePartitionLayout(
  redis: RedisClient,
  namespace: string | undefined,
  partitions: number,
): Promise<PartitionLayout> {
  const key = layoutKey(namespace);
  let stored = await redis.lrange(key, 0, -1);
  for (let attempt = 1; stored.length < partitions; attempt++) {
    if (attempt > ATTEMPTS) throw new Error(`the email queue's partition layout (${key}) kept changing`);
    const cluster =
      redis instanceof Cluster ? await clusterFacts(redis, namespace, stored.length === 0) : null;
    const added = extendLayout(namespace, stored, partitions, cluster).slice(stored.length);
    stored = (await redis.eval(APPEND_IF_UNCHANGED, 1, key, stored.length, ...added)) as string[];
  }
  return { prefixes: stored, partitions };
}

async function clusterFacts(
  redis: Cluster,
  namespace: string | undefined,
  first: boolean,
): Promise<ClusterFacts> {
  // Each range lists its master first, as [host, port, node id, …]; the id survives an address change.
  const slots: SlotRange[] = (await redis.cluster('SLOTS')).flatMap(([start, end, master]) =>
    master ? [{ start, end, master: master[2] || `${master[0]}:${master[1]}` }] : [],
  );
  // Only a namespace without a stored layout can have partitions named the old way.
  return { slots, occupied: first ? await occupiedPartitions(redis, namespace) : new Set() };
}

// Partitions 1… whose old name (`partitionPrefix`) holds keys: a cluster used before layouts were
// stored, or a single Redis imported into it. One EXISTS per partition, all keys on its slot.
async function occupiedPartitions(redis: Cluster, namespace: string | undefined): Promise<Set<number>> {
  const found = await Promise.all(
    Array.from({ length: MAX_PARTITIONS - 1 }, async (_, i) => {
      const prefix = partitionPrefix(namespace, i + 1);
      const keys = QUEUE_STATE_KEYS.map((suffix) => `${prefix}:${QUEUES.email.name}:${suffix}`);
      return (await redis.exists(...keys)) > 0 ? [i + 1] : [];
    }),
  );
  return new Set(found.flat());
}
