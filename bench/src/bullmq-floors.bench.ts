import { Queue, Worker, type JobsOptions } from 'bullmq';
import { deflateRawSync } from 'node:zlib';
import type { BenchConfig } from './config';
import { startBenchRedis, type BenchRedis } from './support/bench-redis';
import { pollUntil } from './support/clock';
import { payloadBytes, realisticEmail } from './support/messages';
import { snapshot, totalCalls, commandDelta } from './support/redis-stats';
import { ratioRow, type ScenarioResult } from './support/results';
import { measurement, ratioOf } from './support/stats';

// The stock stack's retention (and the product's), and BullMQ's leanest: nothing kept.
const RETAINED: JobsOptions = {
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 604_800 },
};
const LEANEST: JobsOptions = { removeOnComplete: true, removeOnFail: true };

/**
 * Scenario 8: what one bare BullMQ job per message costs by itself — no
 * product, no HTTP — on a Redis of its own: the Redis commands of one job's
 * whole life (add, process, complete) and the memory of one queued job
 * holding a realistic message, plain and with its text and HTML deflated.
 * DESIGN §4 gives every message its own job, so these are floors under the
 * product's commands and memory figures (bench/RESULTS.md, section 11).
 */
export async function bullmqFloors(config: BenchConfig): Promise<ScenarioResult> {
  const started = Date.now();
  const redis = await startBenchRedis();
  try {
    const retained = await lifecycleCommands(redis, RETAINED, config.floorJobs);
    const leanest = await lifecycleCommands(redis, LEANEST, config.floorJobs);
    const plain = await queuedBytes(redis, config.floorMemoryJobs, (email) => email);
    const deflated = await queuedBytes(redis, config.floorMemoryJobs, ({ text, html, ...rest }) => ({
      ...rest,
      body: deflateRawSync(JSON.stringify({ text, html })).toString('base64'),
    }));
    const commands = (n: number) => measurement([n], 'cmd/job');
    const bytes = (n: number) => measurement([n], 'B');
    return {
      id: 'bullmq-floors',
      title: 'What one bare BullMQ job per message costs by itself',
      rows: [
        ratioRow({
          id: 'floor-commands',
          label: "Redis commands of one bare job's life, BullMQ's leanest vs the stock retention",
          subject: commands(leanest),
          baseline: commands(retained),
          baselineLabel: 'stock retention',
          ratio: ratioOf(commands(leanest), commands(retained)),
        }),
        ratioRow({
          id: 'floor-memory-plain',
          label: `Redis memory of one bare job per realistic message / payload (${Math.round(plain.payload)} B)`,
          subject: bytes(plain.perJob),
          baseline: bytes(plain.payload),
          baselineLabel: 'payload',
          ratio: ratioOf(bytes(plain.perJob), bytes(plain.payload)),
        }),
        ratioRow({
          id: 'floor-memory-deflated',
          label: 'the same with text and HTML deflated (base64) / payload',
          subject: bytes(deflated.perJob),
          baseline: bytes(deflated.payload),
          baselineLabel: 'payload',
          ratio: ratioOf(bytes(deflated.perJob), bytes(deflated.payload)),
        }),
      ],
      details: {
        jobs: config.floorJobs,
        memoryJobs: config.floorMemoryJobs,
        retained,
        leanest,
        plain,
        deflated,
      },
      notes: [
        `Commands: ${config.floorJobs} jobs added, processed by a no-op Worker (concurrency 20) and completed, INFO commandstats (inner script commands included) per job.`,
        `Memory: used_memory growth per job over ${config.floorMemoryJobs} queued jobs; the payload is the message's JSON.`,
        'The targets ask the product for ≤ 0.6× the stock stack’s commands and ≤ 1.3× the payload in memory, record included.',
      ],
      durationS: (Date.now() - started) / 1000,
    };
  } finally {
    await redis.close();
  }
}

async function lifecycleCommands(redis: BenchRedis, options: JobsOptions, jobs: number): Promise<number> {
  await redis.reset();
  const connection = { url: redis.url, maxRetriesPerRequest: null };
  const queue = new Queue('floor', { connection });
  let done = 0;
  const worker = new Worker('floor', async () => undefined, { connection, concurrency: 20, autorun: false });
  worker.on('completed', () => (done += 1));
  try {
    await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
    const node = redis.masters()[0];
    if (!node) throw new Error('no redis');
    const before = await snapshot(node);
    for (let i = 0; i < jobs; i += 100) {
      const batch = Array.from({ length: Math.min(100, jobs - i) }, (_, j) => i + j);
      await Promise.all(
        batch.map((n) => queue.add('floor', { n }, { ...options, attempts: 3, jobId: `j${n}` })),
      );
    }
    void worker.run();
    await pollUntil(() => done >= jobs, 120_000, 'the floor jobs to complete');
    return totalCalls(commandDelta(before, await snapshot(node))) / jobs;
  } finally {
    await worker.close();
    await queue.close();
  }
}

async function queuedBytes(
  redis: BenchRedis,
  jobs: number,
  asData: (email: ReturnType<typeof realisticEmail>) => object,
): Promise<{ perJob: number; payload: number }> {
  await redis.reset();
  const queue = new Queue('floor', { connection: { url: redis.url } });
  try {
    await queue.waitUntilReady();
    const used = async () => Number(/used_memory:(\d+)/.exec(await redis.admin.info('memory'))?.[1]);
    const before = await used();
    let payload = 0;
    for (let i = 0; i < jobs; i += 500) {
      const emails = Array.from({ length: Math.min(500, jobs - i) }, () => realisticEmail());
      payload += emails.reduce((sum, email) => sum + payloadBytes(email), 0);
      await queue.addBulk(
        emails.map((email, j) => ({
          name: 'email',
          data: asData(email),
          opts: { ...RETAINED, jobId: `m${i + j}` },
        })),
      );
    }
    return { perJob: ((await used()) - before) / jobs, payload: payload / jobs };
  } finally {
    await queue.close();
  }
}
