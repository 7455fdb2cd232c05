// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- cluster-key-slot ships no types; the declaration beside this file must reach every project that compiles it
/// <reference path="./cluster-key-slot.d.ts" />
import { ConfigError } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import calculateSlot from 'cluster-key-slot';
import { Cluster, type Redis } from 'ioredis';

/**
 * What Redis must confirm before ingest answers 2xx (DESIGN §6):
 * - `async`: the write reached the master's memory; a crash of that master
 *   before its next fsync (AOF everysec: up to ~1 s) can lose it.
 * - `aof`: every master runs `appendfsync always`, so an acknowledged write is
 *   on the master's disk; losing the master's disk (not just its process) loses it.
 * - `replicated`: additionally, after the writes the owning master of every key
 *   written is asked `WAIT 1`, so at least one replica holds the write; a
 *   failover promotes a replica that has it.
 */
export type Durability = 'async' | 'aof' | 'replicated';

/** At start: `aof` needs AOF with `appendfsync always` on every master, or the process refuses to run. */
export async function checkDurability(redis: RedisClient, mode: Durability): Promise<void> {
  if (mode !== 'aof') return;
  for (const node of masters(redis)) {
    const [, appendonly] = (await node.config('GET', 'appendonly')) as string[];
    const [, fsync] = (await node.config('GET', 'appendfsync')) as string[];
    if (appendonly !== 'yes' || fsync !== 'always') {
      throw new ConfigError(
        `Invalid configuration: DURABILITY=aof needs appendonly yes and appendfsync always on every master (${node.options.host}:${node.options.port} has appendonly ${appendonly}, appendfsync ${fsync})`,
      );
    }
  }
}

/**
 * `replicated`: asks the master owning each key for `WAIT 1` — on the very
 * connection that carried the writes, which is what WAIT counts. Throws when
 * a master could not confirm a replica within `timeoutMs`.
 */
export async function confirmReplicated(
  redis: RedisClient,
  keys: string[],
  timeoutMs: number,
): Promise<void> {
  const owners = redis instanceof Cluster ? ownersOf(redis, keys) : [redis];
  const acks = await Promise.all(owners.map((node) => node.wait(1, timeoutMs)));
  const missing = acks.findIndex((n) => n < 1);
  if (missing >= 0) {
    const node = owners[missing];
    throw new Error(
      `no replica confirmed the write within ${timeoutMs} ms (${node?.options.host}:${node?.options.port})`,
    );
  }
}

function masters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

// The master connection serving each key's slot, once per master.
function ownersOf(cluster: Cluster, keys: string[]): Redis[] {
  const byAddress = new Map(
    cluster.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
  );
  const owners = new Set<Redis>();
  for (const key of keys) {
    const address = cluster.slots[calculateSlot(key)]?.[0];
    const node = address ? byAddress.get(address) : undefined;
    if (!node) throw new Error(`no master known for the slot of ${key}`);
    owners.add(node);
  }
  return [...owners];
}
