import type { BenchConfig } from './config';
import type { BenchRedis } from './support/bench-redis';
import { pollUntil, sleep } from './support/clock';
import { runLoad } from './support/load';
import { memoryBreakdown, type KeyClass } from './support/memory-breakdown';
import {
  DEFAULT_MESSAGE_BYTES,
  payloadBytes,
  realisticEmail,
  sampleEmail,
  type SampleEmail,
} from './support/messages';
import { ratioRow, type Row, type ScenarioResult } from './support/results';
import { probe } from './support/round';
import { snapshot } from './support/redis-stats';
import type { RoleProcess } from './support/role-process';
import type { Fixtures } from './support/fixtures';
import type { IngestSubject, Sink } from './support/stacks';
import { measurement, ratioOf } from './support/stats';

/**
 * Scenario 5: Redis memory per queued message against its payload (the JSON
 * the client sent) at a backlog of `config.backlog` messages (other payload
 * sizes at a fifth of it: memory per message does not depend on the count),
 * with stock `addBulk` as a reference. Then the drain rate of the product's
 * workers at that backlog vs at a small one — the same warm worker process,
 * paused while each backlog is built.
 */
export async function redisMemory(config: BenchConfig, fixtures: Fixtures): Promise<ScenarioResult> {
  const started = Date.now();
  // The product stack with workers (paused while backlogs are built) and the stock
  // ingest without a worker, so its jobs stay queued.
  const { sink, product: productStack } = await fixtures.deliveryFixture();
  const { stock } = await fixtures.ingestFixture();
  const product = productStack.ingest;
  const workers = productStack.workers;
  const redis = product.redis;
  if (!redis) throw new Error('product without redis');
  try {
    // Warm the workers (JIT, SMTP pool) on a small backlog; paused whenever a backlog is built.
    await workers.call('pause');
    await fill(product, () => sampleEmail(DEFAULT_MESSAGE_BYTES), config.smallBacklog, config);
    await drain(workers, sink, redis, config.smallBacklog, 0, config.smallBacklog - 1, config.smallBacklog);
    await workers.call('pause');

    const rows: Row[] = [];
    const sizes: Record<string, unknown> = {};
    let breakdown: KeyClass[] = [];
    // Queues `sample` on the stock stack and on the product; a row against the payload, one against stock.
    const measureSample = async (sample: Sample) => {
      const stockFill = await fill(stock, sample.make, sample.count, config);
      const productFill = await fill(product, sample.make, sample.count, config);
      const payload = Math.round(productFill.payloadBytes);
      const what = sample.realistic ? `realistic ${payload} B` : `${payload} B`;
      const id = `${sample.realistic ? 'realistic-' : ''}${payload}`;
      const payloadM = measurement([productFill.payloadBytes], 'B');
      const p = measurement([productFill.bytesPerMessage], 'B');
      const s = measurement([stockFill.bytesPerMessage], 'B');
      sizes[what] = { messages: sample.count, product: productFill, stock: stockFill };
      rows.push(
        ratioRow({
          id: `memory-${id}`,
          label: `Redis memory per queued message / payload (${what}, ${sample.count} queued)`,
          subject: p,
          baseline: payloadM,
          baselineLabel: 'payload',
          ratio: ratioOf(p, payloadM),
          target: { op: '<=', value: 1.3 },
        }),
        ratioRow({
          id: `memory-vs-stock-${id}`,
          label: `Redis memory per queued message vs stock Queue.add (${what})`,
          subject: p,
          baseline: s,
          baselineLabel: 'stock addBulk',
          ratio: ratioOf(p, s),
        }),
      );
    };
    // The word-list sizes, the default last, at the full backlog, so that backlog is then drained.
    const others = config.memorySizes.filter((size) => size !== DEFAULT_MESSAGE_BYTES);
    for (const size of [...others, DEFAULT_MESSAGE_BYTES]) {
      const count = size === DEFAULT_MESSAGE_BYTES ? config.backlog : Math.ceil(config.backlog / 5);
      await measureSample({ make: () => sampleEmail(size), count });
    }
    const node = redis.masters()[0];
    if (node) breakdown = await memoryBreakdown(node, config.backlog);

    // Large backlog: rates over consecutive windows as long as a small backlog's own
    // window (so both figures average over the same span of background noise).
    const skip = Math.min(1_000, Math.floor(config.backlog / 10));
    const window = Math.floor(config.smallBacklog * 0.8);
    const large = await drain(
      workers,
      sink,
      redis,
      config.backlog,
      skip,
      Math.min(config.backlog - 1, skip + config.drainWindow),
      window,
    );
    await workers.call('pause');
    // Small backlogs: between their 10th and 90th percentile deliveries.
    const smalls: Drain[] = [];
    for (let round = 0; round < config.rounds; round++) {
      await fill(product, () => sampleEmail(DEFAULT_MESSAGE_BYTES), config.smallBacklog, config);
      smalls.push(
        await drain(
          workers,
          sink,
          redis,
          config.smallBacklog,
          Math.floor(config.smallBacklog * 0.1),
          Math.floor(config.smallBacklog * 0.9),
          window,
        ),
      );
      await workers.call('pause');
    }
    // A realistic large message (templated HTML, unique per message: what packing a large body is
    // measured on), after the drains so that their conditions stay those of earlier runs.
    await measureSample({
      make: () => realisticEmail(LARGE_ITEMS),
      count: Math.ceil(config.backlog / 20),
      realistic: true,
    });
    const largeM = measurement(large.windows, 'msg/s');
    const smallM = measurement(
      smalls.map((d) => d.rate),
      'msg/s',
    );
    rows.push(
      ratioRow({
        id: 'drain-large-vs-small',
        label: `drain rate at ${config.backlog} backlog vs at ${config.smallBacklog}`,
        subject: largeM,
        baseline: smallM,
        baselineLabel: `${config.smallBacklog} backlog`,
        ratio: ratioOf(largeM, smallM),
        target: { op: '>=', value: 0.9 },
      }),
    );
    return {
      id: 'redis-memory',
      title: 'Redis memory per queued message; drain rate vs backlog',
      rows,
      details: { sizes, productMemoryByKeyClass: breakdown, drain: { large, small: smalls } },
      notes: [
        'Payload = bytes of the JSON message the client sent. Memory = growth of used_memory / messages queued (through the batch endpoint, no workers running).',
        `Drain at the large backlog: median of the rates over windows of ${window} deliveries between the ${skip}th and ${skip + config.drainWindow}th delivery; at the small one: median over ${config.rounds} backlogs of the rate between their 10th and 90th percentile deliveries (also ${window} deliveries). Same warm worker process throughout; any AOF rewrite set off by building a backlog finishes before its drain starts.`,
      ],
      durationS: (Date.now() - started) / 1000,
    };
  } finally {
    await workers.call('resume');
  }
}

interface Filled {
  bytesPerMessage: number;
  /** Mean JSON bytes of the messages queued. */
  payloadBytes: number;
  fillRate: number;
}

interface Sample {
  make: () => SampleEmail;
  count: number;
  realistic?: boolean;
}

/** Item rows of the realistic large message: ~21 KB of JSON, the size of a templated receipt. */
const LARGE_ITEMS = 85;

/** Empties the subject's Redis and queues `count` messages through its batch endpoint; bytes per message. */
async function fill(
  subject: IngestSubject,
  make: () => SampleEmail,
  count: number,
  config: BenchConfig,
): Promise<Filled> {
  await subject.reset();
  const node = subject.redis?.masters()[0];
  if (!node) throw new Error('no redis');
  const batch = Math.min(config.batchSize, count);
  const requests = Math.floor(count / batch);
  const emails = Array.from({ length: batch }, make);
  const body = JSON.stringify(emails);
  const before = await snapshot(node);
  const load = await runLoad({
    url: subject.url,
    path: '/v1/emails/batch',
    body,
    headers: subject.headers[0] ?? {},
    connections: Math.min(8, requests),
    amount: requests,
  });
  if (load.ok !== requests)
    throw new Error(`${subject.label}: ${load.ok}/${requests} batches accepted while filling`);
  const rest = count - requests * batch;
  if (rest > 0) await probe(subject, '/v1/emails/batch', JSON.stringify(Array.from({ length: rest }, make)));
  // Writes made after the answer (the product's email.queued events) settle first.
  await sleep(300);
  const after = await snapshot(node);
  return {
    bytesPerMessage: (after.usedMemory - before.usedMemory) / count,
    payloadBytes: emails.reduce((sum, email) => sum + payloadBytes(email), 0) / emails.length,
    fillRate: count / load.durationS,
  };
}

interface Drain {
  rate: number;
  /** Rates over consecutive windows of `window` deliveries: a trend would show here. */
  windows: number[];
  /** Forks (AOF rewrites) Redis made while the window was measured. */
  forks: number;
}

/**
 * Resumes the (paused) workers on the queued backlog and returns their
 * delivery rate at the sink between the `from`th and `to`th delivery. An AOF
 * rewrite that building the backlog set off is allowed to finish first, so
 * both backlogs are drained by a Redis that is not rewriting (forks during
 * the window are reported).
 */
async function drain(
  workers: RoleProcess<unknown>,
  sink: Sink,
  redis: BenchRedis,
  backlog: number,
  from: number,
  to: number,
  window: number,
): Promise<Drain> {
  const node = redis.masters()[0];
  if (!node) throw new Error('no redis');
  await pollUntil(
    async () => !(await snapshot(node)).aofRewriteInProgress,
    300_000,
    'the AOF rewrite to finish',
    200,
  );
  const before = await snapshot(node);
  await sink.clear();
  await workers.call('resume');
  await sink.waitFor(to + 1, Math.max(60_000, backlog * 20));
  const after = await snapshot(node);
  const { times } = await sink.arrivals();
  const rateBetween = (a: number, b: number) =>
    (b - a) / (((times[b] ?? Number.NaN) - (times[a] ?? Number.NaN)) / 1000);
  const count = Math.max(1, Math.floor((to - from) / window));
  const size = (to - from) / count;
  return {
    rate: rateBetween(from, to),
    windows: Array.from({ length: count }, (_, w) =>
      rateBetween(Math.round(from + w * size), Math.round(from + (w + 1) * size)),
    ),
    forks: after.forks - before.forks,
  };
}
