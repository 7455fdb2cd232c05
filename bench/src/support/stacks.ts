import { QUEUE_KINDS, queuePrefix } from '@mailq/queues';
import { Stores } from '@mailq/store';
import type { Cluster, Redis } from 'ioredis';
import { BASELINE_TOKEN } from '../baselines/minimal-app';
import { STOCK_QUEUE } from '../baselines/stock-options';
import { BENCH_NAMESPACE } from '../product/namespace';
import { startBenchRedis, type BenchRedis } from './bench-redis';
import { pollUntil } from './clock';
import { startRole, type RoleProcess } from './role-process';
import type { SinkArrivals, SinkInfo } from './smtp-sink';

/** An HTTP ingest under load: the product, the hand-written `Queue.add` server, or the ceiling. */
export interface IngestSubject {
  label: string;
  url: string;
  redis: BenchRedis | null;
  /** Authorization headers, one per tenant (the product's keys change on every reset). */
  headers: Array<Record<string, string>>;
  /** Empties Redis (and re-creates the product's tenants and keys). */
  reset(): Promise<void>;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

async function seedTenants(admin: Redis | Cluster, count: number): Promise<Array<Record<string, string>>> {
  const stores = new Stores(admin, BENCH_NAMESPACE);
  const headers: Array<Record<string, string>> = [];
  for (let i = 0; i < count; i++) {
    const tenant = await stores.tenants.create(`Bench tenant ${i + 1}`);
    const { key } = await stores.apiKeys.create(tenant.id, 'bench');
    headers.push({ authorization: `Bearer ${key}` });
  }
  return headers;
}

/** The product's ingest (relay in-process) on a Redis of its own (or the one given, e.g. a cluster). */
export async function startProductIngest(
  options: { redis?: BenchRedis; ownsRedis?: boolean; tenants?: number; partitions?: number } = {},
): Promise<IngestSubject> {
  const ownsRedis = options.ownsRedis ?? !options.redis;
  const redis = options.redis ?? (await startBenchRedis());
  const proc = await startRole<{ url: string }>('product-ingest', {
    redis: redis.target,
    partitions: options.partitions ?? 1,
  });
  const subject: IngestSubject = {
    label: 'Mail Queue',
    url: proc.info.url,
    redis,
    headers: [],
    async reset() {
      await redis.reset();
      subject.headers = await seedTenants(redis.admin, options.tenants ?? 1);
      await redis.resetStats();
    },
    cpuMicros: () => proc.cpuMicros(),
    async stop() {
      await proc.stop();
      if (ownsRedis) await redis.close();
    },
  };
  await subject.reset();
  return subject;
}

function baselineSubject(
  label: string,
  proc: RoleProcess<{ url: string }>,
  redis: BenchRedis | null,
): IngestSubject {
  return {
    label,
    url: proc.info.url,
    redis,
    headers: [{ authorization: `Bearer ${BASELINE_TOKEN}` }],
    reset: async () => redis?.reset(),
    cpuMicros: () => proc.cpuMicros(),
    async stop() {
      await proc.stop();
      await redis?.close();
    },
  };
}

/** Baseline: hand-written Hono + stock `Queue.add` / `addBulk`, on a Redis of its own. */
export async function startStockIngest(given?: BenchRedis): Promise<IngestSubject> {
  const redis = given ?? (await startBenchRedis());
  const proc = await startRole<{ url: string }>('baseline-add-server', { redisUrl: redis.url });
  return baselineSubject('Hono + Queue.add', proc, redis);
}

/** The ceiling: the same hand-written server, storing nothing. */
export async function startCeiling(): Promise<IngestSubject> {
  const proc = await startRole<{ url: string }>('baseline-noop-server');
  return baselineSubject('no-enqueue ceiling', proc, null);
}

/** The SMTP sink every end-to-end stack delivers to. */
export interface Sink {
  proc: RoleProcess<SinkInfo>;
  url: string;
  count(): Promise<number>;
  clear(track?: boolean): Promise<void>;
  arrivals(): Promise<SinkArrivals>;
  waitFor(count: number, timeoutMs: number): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const proc = await startRole<SinkInfo>('smtp-sink');
  const count = () => proc.call<number>('count');
  return {
    proc,
    url: proc.info.url,
    count,
    clear: async (track = false) => {
      await proc.call('clear', { track });
    },
    arrivals: () => proc.call<SinkArrivals>('arrivals'),
    waitFor: (target, timeoutMs) =>
      pollUntil(async () => (await count()) >= target, timeoutMs, `${target} messages at the sink`, 20),
  };
}

/** The product's worker fleet, delivering to `sinkUrl`. */
export function startProductWorkers(
  redis: BenchRedis,
  sinkUrl: string,
  env: Record<string, string> = {},
): Promise<RoleProcess<unknown>> {
  return startRole('product-workers', { redis: redis.target, smtpUrl: sinkUrl, env });
}

/** Baseline: stock BullMQ Worker + nodemailer, delivering to `sinkUrl`. */
export function startStockWorker(redis: BenchRedis, sinkUrl: string): Promise<RoleProcess<unknown>> {
  return startRole('baseline-stock-worker', { redisUrl: redis.url, smtpUrl: sinkUrl });
}

/**
 * BullMQ queues of a stack, as `prefix:name` pairs (the product's every queue, or the stock one);
 * `emailPrefixes` are the email queue's partitions (`resolvePartitionLayout`), by default the one.
 */
export function queuesOf(
  stack: 'product' | 'stock',
  emailPrefixes: readonly string[] = [queuePrefix(BENCH_NAMESPACE)],
): Array<{ prefix: string; name: string }> {
  if (stack === 'stock') return [{ prefix: 'bull', name: STOCK_QUEUE }];
  const others = QUEUE_KINDS.filter((kind) => kind !== 'email').map((name) => ({
    prefix: queuePrefix(BENCH_NAMESPACE),
    name,
  }));
  const email = emailPrefixes.map((prefix) => ({ prefix, name: 'email' }));
  return [...email, ...others];
}

/** Jobs not yet finished (waiting, active, delayed, prioritized) over the given queues. */
export async function backlog(
  admin: Redis | Cluster,
  queues: Array<{ prefix: string; name: string }>,
): Promise<number> {
  let total = 0;
  for (const { prefix, name } of queues) {
    const key = (suffix: string) => `${prefix}:${name}:${suffix}`;
    const [wait, active, delayed, prioritized] = await Promise.all([
      admin.llen(key('wait')),
      admin.llen(key('active')),
      admin.zcard(key('delayed')),
      admin.zcard(key('prioritized')),
    ]);
    total += wait + active + delayed + prioritized;
  }
  return total;
}

/** Waits until every queue of the stack is empty (background jobs such as analytics included). */
export function waitForIdle(
  admin: Redis | Cluster,
  queues: Array<{ prefix: string; name: string }>,
  timeoutMs: number,
): Promise<void> {
  return pollUntil(async () => (await backlog(admin, queues)) === 0, timeoutMs, 'queues to drain', 50);
}
