import { keySlot, resolvePartitionLayout } from '@mailq/queues';
import type { Cluster } from 'ioredis';
import type { BenchConfig } from './config';
import { BENCH_NAMESPACE } from './product/namespace';
import { startBenchCluster, type BenchRedis } from './support/bench-redis';
import { runLoad } from './support/load';
import { keyPattern } from './support/memory-breakdown';
import { sampleEmail } from './support/messages';
import { commandDelta, snapshot, totalCalls, type RedisSnapshot } from './support/redis-stats';
import { ratioRow, type Row, type ScenarioResult } from './support/results';
import {
  queuesOf,
  startProductIngest,
  startProductWorkers,
  startSink,
  waitForIdle,
  type Sink,
} from './support/stacks';
import { measurement } from './support/stats';

interface MasterFigures {
  node: string;
  keys: number;
  commands: number;
  cpuUs: number;
  /** Keys by pattern (ids replaced), the largest groups. */
  keyClasses: Record<string, number>;
}

interface Distribution {
  partitions: number;
  masters: MasterFigures[];
  /** Which master serves each email queue partition's hash tag. */
  partitionOwners: Record<string, string>;
  keysMaxOverFair: number;
  commandsMaxOverFair: number;
}

/**
 * Scenario 7: on the harness's local cluster (3 masters + 3 replicas), how
 * evenly the product spreads keys and commands over the masters while it
 * accepts and delivers messages from several tenants — with the configured
 * QUEUE_PARTITIONS (the target) and with the shipped default of 1.
 */
export async function clusterDistribution(config: BenchConfig): Promise<ScenarioResult> {
  const started = Date.now();
  const cluster = await startBenchCluster();
  const sink = await startSink();
  try {
    const measured: Distribution[] = [];
    // The shipped default too, for comparison (full runs only).
    for (const partitions of config.quick ? [config.clusterPartitions] : [config.clusterPartitions, 1])
      measured.push(await distribution(cluster, sink, partitions, config));
    const rows: Row[] = measured.flatMap((d) => {
      const suffix =
        d.partitions === 1 ? ' (QUEUE_PARTITIONS=1, the default)' : ` (QUEUE_PARTITIONS=${d.partitions})`;
      const target =
        d.partitions === config.clusterPartitions ? { op: '<=' as const, value: 1.15 } : undefined;
      const row = (what: 'keys' | 'commands', value: number) =>
        ratioRow({
          id: `cluster-${what}-p${d.partitions}`,
          label: `busiest master's share of ${what} / fair share${suffix}`,
          subject: measurement([value], '×'),
          baseline: null,
          ratio: measurement([value], '×'),
          ...(target ? { target } : {}),
        });
      return [row('keys', d.keysMaxOverFair), row('commands', d.commandsMaxOverFair)];
    });
    return {
      id: 'cluster-distribution',
      title: 'Keys and commands over the cluster masters',
      rows,
      details: { messages: config.clusterMessages, tenants: config.clusterTenants, distributions: measured },
      notes: [
        `${config.clusterMessages} messages accepted and delivered end to end from ${config.clusterTenants} tenants; commands counted on each master from before the first request until every queue was empty.`,
        'Fair share = total over the 3 masters / 3; the figure is the busiest master / fair share.',
      ],
      durationS: (Date.now() - started) / 1000,
    };
  } finally {
    await sink.proc.stop();
    await cluster.close();
  }
}

async function distribution(
  cluster: BenchRedis,
  sink: Sink,
  partitions: number,
  config: BenchConfig,
): Promise<Distribution> {
  // Every process starts on an empty cluster, so none finds the previous round's queues (whose
  // names a partition layout would keep).
  await cluster.reset();
  const ingest = await startProductIngest({ redis: cluster, tenants: config.clusterTenants, partitions });
  const workers = await startProductWorkers(cluster, sink.url, { QUEUE_PARTITIONS: String(partitions) });
  try {
    // The layout the ingest and the workers stored; the reset below empties Redis but not their memory.
    const layout = await resolvePartitionLayout(cluster.admin, BENCH_NAMESPACE, partitions);
    await ingest.reset();
    await sink.clear();
    const masters = cluster.masters();
    const before = await Promise.all(masters.map((node) => snapshot(node)));
    const load = await runLoad({
      url: ingest.url,
      path: '/v1/emails',
      body: JSON.stringify(sampleEmail()),
      headers: {},
      headersList: ingest.headers,
      connections: config.connections,
      amount: config.clusterMessages,
    });
    if (load.ok !== config.clusterMessages)
      throw new Error(`cluster: ${load.ok}/${config.clusterMessages} accepted`);
    await sink.waitFor(config.clusterMessages, 180_000);
    await waitForIdle(cluster.admin, queuesOf('product', layout.prefixes), 120_000);
    const after = await Promise.all(masters.map((node) => snapshot(node)));
    const figures = await Promise.all(
      masters.map(async (node, i) => ({
        node: `${node.options.host}:${node.options.port}`,
        keys: (after[i] as RedisSnapshot).keys,
        commands: totalCalls(commandDelta(before[i] as RedisSnapshot, after[i] as RedisSnapshot)),
        cpuUs: (after[i] as RedisSnapshot).cpuMicros - (before[i] as RedisSnapshot).cpuMicros,
        keyClasses: await keyClasses(node),
      })),
    );
    const maxOverFair = (values: number[]) => {
      const total = values.reduce((sum, v) => sum + v, 0);
      return Math.max(...values) / (total / values.length);
    };
    return {
      partitions,
      masters: figures,
      partitionOwners: partitionOwners(cluster.admin as Cluster, layout.prefixes),
      keysMaxOverFair: maxOverFair(figures.map((f) => f.keys)),
      commandsMaxOverFair: maxOverFair(figures.map((f) => f.commands)),
    };
  } finally {
    await workers.stop();
    await ingest.stop();
  }
}

async function keyClasses(node: BenchRedis['masters'] extends () => Array<infer R> ? R : never) {
  const counts: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'COUNT', 2000);
    cursor = next;
    for (const key of keys) {
      const pattern = keyPattern(key);
      counts[pattern] = (counts[pattern] ?? 0) + 1;
    }
  } while (cursor !== '0');
  return Object.fromEntries(
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 12),
  );
}

function partitionOwners(admin: Cluster, prefixes: readonly string[]): Record<string, string> {
  const owners: Record<string, string> = {};
  for (const prefix of prefixes) {
    const slot = keySlot(prefix);
    owners[prefix] = `slot ${slot} → ${admin.slots[slot]?.[0] ?? '?'}`;
  }
  return owners;
}
