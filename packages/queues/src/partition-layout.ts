import { queuePrefix } from './catalog';
import { CLUSTER_SLOTS, keySlot } from './key-slot';

/** Upper bound of QUEUE_PARTITIONS. */
export const MAX_PARTITIONS = 64;

/**
 * Which BullMQ prefix (hash tag) each partition of the email queue uses. Every
 * process of a deployment reads the same stored layout, and a layout only ever
 * grows, so no partition that may hold jobs drops out of it.
 */
export interface PartitionLayout {
  /** Every partition's prefix, in partition order: workers drain them all, the admin lists them all. */
  prefixes: readonly string[];
  /** QUEUE_PARTITIONS: new mail goes to the first `partitions` of them, by message id. */
  partitions: number;
}

/** A range of slots and the master serving it (CLUSTER SLOTS, reduced to the masters' ids). */
export interface SlotRange {
  start: number;
  end: number;
  master: string;
}

/** What a layout is chosen from on Redis Cluster. */
export interface ClusterFacts {
  slots: readonly SlotRange[];
  /** Partitions whose name from before stored layouts (`partitionPrefix`) already holds keys. */
  occupied: ReadonlySet<number>;
}

/**
 * The prefix partition `partition` has on a single Redis: `{ns}`, `{ns-p1}`,
 * `{ns-p2}`, … — the names every deployment used before layouts were stored.
 * Partition 0 keeps the plain `{namespace}` tag of the other queues.
 */
export function partitionPrefix(namespace: string | undefined, partition: number): string {
  const base = queuePrefix(namespace);
  return partition === 0 ? base : `${base.slice(0, -1)}-p${partition}}`;
}

// A master serving a single slot is hit once in 16384 candidates on average; past this many the
// partition keeps its plain name rather than loop on a slot map that cannot be balanced anyway.
const MAX_CANDIDATES = 1_000_000;

/**
 * `stored` grown to `partitions` entries (entries already there never change).
 * On a single Redis (`cluster` null) partition p is `partitionPrefix(ns, p)`.
 * On Redis Cluster partition 0 is still `{ns}`, a partition whose old name
 * holds keys keeps it (they were written before layouts were stored), and
 * every other new partition goes to the master carrying the fewest partitions
 * so far — the namespace's own master last among equals, since it also serves
 * the other queues — under the first name `{ns-pP}`, `{ns-pP.1}`, `{ns-pP.2}`, …
 * whose slot that master serves. '.' is outside MAILQ_NAMESPACE's alphabet, so
 * these names cannot be another namespace's. The choice depends only on its
 * inputs, so processes starting together choose alike.
 */
export function extendLayout(
  namespace: string | undefined,
  stored: readonly string[],
  partitions: number,
  cluster: ClusterFacts | null,
): string[] {
  const layout = [...stored];
  const length = Math.max(partitions, ...[...(cluster?.occupied ?? [])].map((p) => p + 1));
  const owner = cluster ? slotOwners(cluster.slots) : [];
  const masterOf = (prefix: string) => owner[keySlot(prefix)];
  const home = masterOf(queuePrefix(namespace));
  // filter() skips the holes of slots nobody serves.
  const masters = [...new Set(owner.filter((m) => m !== home)), ...(home === undefined ? [] : [home])];
  for (let p = layout.length; p < length; p++) {
    const plain = partitionPrefix(namespace, p);
    if (!cluster || p === 0 || cluster.occupied.has(p) || masters.length === 0) {
      layout.push(plain);
      continue;
    }
    const load = (master: string) => layout.filter((prefix) => masterOf(prefix) === master).length;
    const target = masters.reduce((best, m) => (load(m) < load(best) ? m : best));
    let chosen = plain;
    for (let n = 0; n < MAX_CANDIDATES; n++) {
      const candidate = n === 0 ? plain : `${plain.slice(0, -1)}.${n}}`;
      if (masterOf(candidate) === target) {
        chosen = candidate;
        break;
      }
    }
    layout.push(chosen);
  }
  return layout;
}

// Slot → master, with masters in the order of the first slot they serve (so the order is stable).
function slotOwners(slots: readonly SlotRange[]): string[] {
  const owner = new Array<string>(CLUSTER_SLOTS);
  for (const { start, end, master } of [...slots].sort((a, b) => a.start - b.start))
    for (let slot = start; slot <= end; slot++) owner[slot] = master;
  return owner;
}
