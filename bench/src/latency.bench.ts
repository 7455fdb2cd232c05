import type { BenchConfig } from './config';
import { deliveryRound, type DeliveryStack } from './support/delivery-stack';
import type { Fixtures } from './support/fixtures';
import { openLoop } from './support/load';
import { sampleEmail } from './support/messages';
import { ratioRow, type Row, type ScenarioResult } from './support/results';
import { rotated } from './support/round';
import { waitForIdle, type Sink } from './support/stacks';
import { measurement, percentile, ratioOf } from './support/stats';

interface LatencyRound {
  acceptP50: number;
  acceptP99: number;
  deliveredP50: number;
  deliveredP99: number;
  offered: number;
  accepted: number;
  delivered: number;
}

/**
 * Scenario 4: latency at a fixed offered rate (a fraction of the lower of
 * the two stacks' end-to-end peaks, so both can sustain it). Open loop, so a
 * stall shows up as latency. Accept latency: scheduled send → 202.
 * Accept→delivered: 202 → 250 at the sink, matched by message id.
 */
export async function latency(
  config: BenchConfig,
  fixtures: Fixtures,
  knownPeaks?: { product: number; stock: number },
): Promise<ScenarioResult> {
  const started = Date.now();
  const { sink, product, stock } = await fixtures.deliveryFixture();
  const stacks = [product, stock];
  const body = JSON.stringify(sampleEmail());
  // Peaks from the end-to-end scenario of this run, or measured here when it did not run.
  const peaks = knownPeaks ?? {
    product: (await deliveryRound(product, sink, config.endToEndMessages, body, config)).rate,
    stock: (await deliveryRound(stock, sink, config.endToEndMessages, body, config)).rate,
  };
  const rate = Math.max(5, Math.round(config.latencyFraction * Math.min(peaks.product, peaks.stock)));
  // Warm-up at the same rate (full runs), not counted.
  if (!config.quick)
    for (const stack of stacks) await latencyRound(stack, sink, body, rate, { ...config, latencySeconds: 1 });
  const rounds = new Map<DeliveryStack, LatencyRound[]>(stacks.map((s) => [s, []]));
  for (let round = 0; round < config.deliveryRounds; round++) {
    for (const stack of rotated(stacks, round))
      rounds.get(stack)?.push(await latencyRound(stack, sink, body, rate, config));
  }
  const of = (stack: DeliveryStack, pick: (r: LatencyRound) => number) =>
    measurement((rounds.get(stack) ?? []).map(pick), 'ms');
  const rows: Row[] = (
    [
      ['accept-p50', 'accept latency p50', (r: LatencyRound) => r.acceptP50],
      ['accept-p99', 'accept latency p99', (r: LatencyRound) => r.acceptP99],
      ['delivered-p50', 'accept→delivered latency p50', (r: LatencyRound) => r.deliveredP50],
      ['delivered-p99', 'accept→delivered latency p99', (r: LatencyRound) => r.deliveredP99],
    ] as const
  ).map(([id, label, pick]) => {
    const subject = of(product, pick);
    const baseline = of(stock, pick);
    return ratioRow({
      id: `latency-${id}`,
      label: `${label} at ${rate} msg/s (lower is better)`,
      subject,
      baseline,
      baselineLabel: stock.label,
      ratio: ratioOf(subject, baseline),
    });
  });
  return {
    id: 'latency',
    title: `Latency at ${Math.round(config.latencyFraction * 100)} % of the lower end-to-end peak (${rate} msg/s)`,
    rows,
    details: {
      offeredRate: rate,
      peaks,
      seconds: config.latencySeconds,
      perStack: Object.fromEntries(stacks.map((s) => [s.label, rounds.get(s)])),
    },
    notes: ['Ratios are Mail Queue / baseline: below 1 means Mail Queue is faster.'],
    durationS: (Date.now() - started) / 1000,
  };
}

async function latencyRound(
  stack: DeliveryStack,
  sink: Sink,
  body: string,
  rate: number,
  config: BenchConfig,
): Promise<LatencyRound> {
  const redis = stack.ingest.redis;
  if (!redis) throw new Error('stack without redis');
  await stack.ingest.reset();
  await sink.clear(true);
  const sent = await openLoop({
    url: stack.ingest.url,
    path: '/v1/emails',
    bodyFor: () => body,
    headers: stack.ingest.headers[0] ?? {},
    rate,
    durationS: config.latencySeconds,
    sockets: config.connections,
  });
  const accepted = sent.filter((s) => s.status >= 200 && s.status < 300);
  await sink.waitFor(accepted.length, 120_000);
  await waitForIdle(redis.admin, stack.queues, 120_000);
  const { times, ids } = await sink.arrivals();
  const arrival = new Map<string, number>();
  ids.forEach((id, i) => arrival.set(id, times[i] ?? Number.NaN));
  const acceptMs = accepted.map((s) => s.answeredAt - s.scheduledAt);
  const deliveredMs = accepted
    .map((s) => (arrival.get(s.id) ?? Number.NaN) - s.answeredAt)
    .filter((ms) => Number.isFinite(ms));
  if (deliveredMs.length !== accepted.length)
    throw new Error(
      `${stack.label}: matched ${deliveredMs.length}/${accepted.length} deliveries to their ids`,
    );
  return {
    acceptP50: percentile(acceptMs, 50),
    acceptP99: percentile(acceptMs, 99),
    deliveredP50: percentile(deliveredMs, 50),
    deliveredP99: percentile(deliveredMs, 99),
    offered: sent.length,
    accepted: accepted.length,
    delivered: deliveredMs.length,
  };
}
