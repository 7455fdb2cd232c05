import type { BenchConfig } from '../config';
import { startBenchRedis } from './bench-redis';
import { nowMs } from './clock';
import { runLoad } from './load';
import { commandDelta, snapshot, totalCalls, type CommandStat } from './redis-stats';
import type { RoleProcess } from './role-process';
import {
  queuesOf,
  startProductIngest,
  startProductWorkers,
  startStockIngest,
  startStockWorker,
  waitForIdle,
  type IngestSubject,
  type Sink,
} from './stacks';

/** Ingest, workers and their Redis: one whole stack delivering into the sink. */
export interface DeliveryStack {
  label: string;
  kind: 'product' | 'stock';
  ingest: IngestSubject;
  workers: RoleProcess<unknown>;
  queues: Array<{ prefix: string; name: string }>;
  stop(): Promise<void>;
}

export async function startProductStack(
  sink: Sink,
  workerEnv: Record<string, string> = {},
): Promise<DeliveryStack> {
  const redis = await startBenchRedis();
  const [ingest, workers] = await Promise.all([
    startProductIngest({ redis, ownsRedis: true }),
    startProductWorkers(redis, sink.url, workerEnv),
  ]);
  return {
    label: 'Mail Queue',
    kind: 'product',
    ingest,
    workers,
    queues: queuesOf('product'),
    async stop() {
      await workers.stop();
      await ingest.stop();
    },
  };
}

export async function startStockStack(sink: Sink): Promise<DeliveryStack> {
  const redis = await startBenchRedis();
  const [ingest, workers] = await Promise.all([startStockIngest(redis), startStockWorker(redis, sink.url)]);
  return {
    label: 'Queue.add + stock Worker + nodemailer',
    kind: 'stock',
    ingest,
    workers,
    queues: queuesOf('stock'),
    async stop() {
      await workers.stop();
      await ingest.stop();
    },
  };
}

/** One end-to-end round: N messages over HTTP, until the sink has answered 250 to all of them. */
export interface DeliveryRound {
  messages: number;
  /** Messages per second from the first request to the last 250 at the sink. */
  rate: number;
  /** After the last 250, until every queue (analytics included) was empty, ms. */
  tailMs: number;
  /** CPU µs per delivered message, per process, counted until the queues were empty. */
  cpuUs: { ingest: number; workers: number; redis: number; sink: number; loadgen: number };
  redisCommandsPerMessage: number;
  commands: Record<string, CommandStat>;
  httpErrors: number;
}

export async function deliveryRound(
  stack: DeliveryStack,
  sink: Sink,
  messages: number,
  body: string,
  config: BenchConfig,
): Promise<DeliveryRound> {
  const redis = stack.ingest.redis;
  if (!redis) throw new Error('stack without redis');
  await stack.ingest.reset();
  await sink.clear();
  const node = redis.masters()[0];
  if (!node) throw new Error('no redis node');
  const cpu0 = await cpuOf(stack, sink);
  const redis0 = await snapshot(node);
  const loadgen0 = process.cpuUsage();
  const started = nowMs();
  const load = await runLoad({
    url: stack.ingest.url,
    path: '/v1/emails',
    body,
    headers: stack.ingest.headers[0] ?? {},
    connections: config.connections,
    amount: messages,
  });
  const loadgen = process.cpuUsage(loadgen0);
  if (load.ok !== messages)
    throw new Error(
      `${stack.label}: ${load.ok}/${messages} accepted (${load.non2xx} non-2xx, ${load.errors} errors)`,
    );
  await sink.waitFor(messages, 120_000);
  const { times } = await sink.arrivals();
  const last = times[messages - 1] ?? nowMs();
  await waitForIdle(redis.admin, stack.queues, 120_000);
  const idleAt = nowMs();
  const cpu1 = await cpuOf(stack, sink);
  const redis1 = await snapshot(node);
  const commands = commandDelta(redis0, redis1);
  return {
    messages,
    rate: messages / ((last - started) / 1000),
    tailMs: Math.max(0, idleAt - last),
    cpuUs: {
      ingest: (cpu1.ingest - cpu0.ingest) / messages,
      workers: (cpu1.workers - cpu0.workers) / messages,
      redis: (redis1.cpuMicros - redis0.cpuMicros) / messages,
      sink: (cpu1.sink - cpu0.sink) / messages,
      loadgen: (loadgen.user + loadgen.system) / messages,
    },
    redisCommandsPerMessage: totalCalls(commands) / messages,
    commands,
    httpErrors: load.non2xx + load.errors,
  };
}

async function cpuOf(stack: DeliveryStack, sink: Sink) {
  const [ingest, workers, sinkCpu] = await Promise.all([
    stack.ingest.cpuMicros(),
    stack.workers.cpuMicros(),
    sink.proc.cpuMicros(),
  ]);
  return { ingest, workers, sink: sinkCpu };
}
