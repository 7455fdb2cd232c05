import nodemailer from 'nodemailer';
import { POSTFIX_INSTALL_HINT, findPostfix, startPostfixRelay } from './baselines/postfix';
import type { BenchConfig } from './config';
import { nowMs } from './support/clock';
import { deliveryRound, type DeliveryRound, type DeliveryStack } from './support/delivery-stack';
import type { Fixtures } from './support/fixtures';
import { sampleEmail, type SampleEmail } from './support/messages';
import { ratioRow, skippedRow, type Row, type ScenarioResult } from './support/results';
import { rotated } from './support/round';
import type { Sink } from './support/stacks';
import { measurement, median, ratioOf, type Measurement } from './support/stats';

/**
 * Scenario 3: end-to-end delivery, from the first HTTP request to the last
 * 250 at the SMTP sink. Mail Queue (ingest + worker fleet) vs the stock stack
 * (hand-written Queue.add server + stock Worker composing each message with
 * pooled nodemailer), and vs Postfix relaying to the same sink when installed.
 */
export async function endToEnd(
  config: BenchConfig,
  fixtures: Fixtures,
): Promise<ScenarioResult & { peaks: { product: number; stock: number } }> {
  const started = Date.now();
  const { sink, product, stock } = await fixtures.deliveryFixture();
  const stacks = [product, stock];
  const notes: string[] = [];
  const email = sampleEmail();
  const body = JSON.stringify(email);
  // Warm-up (full runs): one small round each, not counted.
  if (!config.quick) for (const stack of stacks) await deliveryRound(stack, sink, 200, body, config);
  const rounds = new Map<DeliveryStack, DeliveryRound[]>(stacks.map((s) => [s, []]));
  for (let round = 0; round < config.deliveryRounds; round++) {
    for (const stack of rotated(stacks, round))
      rounds.get(stack)?.push(await deliveryRound(stack, sink, config.endToEndMessages, body, config));
  }
  const rate = (s: DeliveryStack) =>
    measurement(
      (rounds.get(s) ?? []).map((r) => r.rate),
      'msg/s',
    );
  const [p, st] = [rate(product), rate(stock)];
  const rows: Row[] = [
    ratioRow({
      id: 'e2e-vs-stock',
      label: 'end-to-end delivery vs stock BullMQ + nodemailer',
      subject: p,
      baseline: st,
      baselineLabel: stock.label,
      ratio: ratioOf(p, st),
      target: { op: '>=', value: 2 },
    }),
  ];
  const postfix = await measurePostfix(config, sink, email);
  if (postfix.skipped) {
    notes.push(`Postfix: ${postfix.skipped}`);
    rows.push(
      skippedRow('e2e-vs-postfix', 'end-to-end delivery vs Postfix relay', postfix.skipped, {
        op: '>=',
        value: 5,
      }),
    );
  } else if (postfix.rate) {
    rows.push(
      ratioRow({
        id: 'e2e-vs-postfix',
        label: 'end-to-end delivery vs Postfix relay',
        subject: p,
        baseline: postfix.rate,
        baselineLabel: 'Postfix → sink',
        ratio: ratioOf(p, postfix.rate),
        target: { op: '>=', value: 5 },
      }),
    );
  }
  return {
    id: 'end-to-end',
    title: 'End-to-end delivery (HTTP accept → 250 at the sink)',
    rows,
    details: {
      messagesPerRound: config.endToEndMessages,
      connections: config.connections,
      perStack: Object.fromEntries(stacks.map((s) => [s.label, summarizeDelivery(rounds.get(s) ?? [])])),
      ...(postfix.rate ? { postfix: postfix.rate } : {}),
    },
    notes: [
      ...notes,
      'Postfix rounds (when measured) run after the interleaved Mail Queue and stock rounds.',
    ],
    durationS: (Date.now() - started) / 1000,
    peaks: { product: p.median, stock: st.median },
  };
}

export function summarizeDelivery(rounds: DeliveryRound[]) {
  const med = (pick: (r: DeliveryRound) => number) => median(rounds.map(pick));
  const last = rounds.at(-1);
  return {
    rate: measurement(
      rounds.map((r) => r.rate),
      'msg/s',
    ),
    tailAfterLastDeliveryMs: med((r) => r.tailMs),
    cpuUsPerMessage: {
      ingest: med((r) => r.cpuUs.ingest),
      workers: med((r) => r.cpuUs.workers),
      redis: med((r) => r.cpuUs.redis),
      sink: med((r) => r.cpuUs.sink),
      loadgen: med((r) => r.cpuUs.loadgen),
    },
    redisCommandsPerMessage: med((r) => r.redisCommandsPerMessage),
    commandsPerMessageLastRound: Object.fromEntries(
      Object.entries(last?.commands ?? {})
        .sort(([, a], [, b]) => b.calls - a.calls)
        .map(([name, stat]) => [
          name,
          { calls: stat.calls / (last?.messages ?? 1), usec: stat.usec / (last?.messages ?? 1) },
        ]),
    ),
  };
}

/**
 * Postfix as the peer: the application composes each message and submits it
 * over SMTP (pooled nodemailer) to a private Postfix that relays to the sink.
 */
async function measurePostfix(
  config: BenchConfig,
  sink: Sink,
  email: SampleEmail,
): Promise<{ skipped?: string; rate?: Measurement }> {
  const postfix = await findPostfix();
  if (!postfix) {
    console.log(`  postfix not found — ${POSTFIX_INSTALL_HINT} (row skipped)`);
    return { skipped: `not installed; ${POSTFIX_INSTALL_HINT}` };
  }
  const sinkPort = Number(new URL(sink.url).port);
  const relay = await startPostfixRelay(postfix, sinkPort).catch((error: Error) => error);
  if (relay instanceof Error) return { skipped: `could not start a private instance: ${relay.message}` };
  const client = nodemailer.createTransport({
    host: '127.0.0.1',
    port: relay.port,
    pool: true,
    maxConnections: 10,
  });
  try {
    const rates: number[] = [];
    for (let round = 0; round < config.deliveryRounds; round++) {
      await sink.clear();
      const started = nowMs();
      let next = 0;
      const sender = async () => {
        while (next < config.endToEndMessages) {
          next++;
          await client.sendMail({
            from: email.from,
            to: email.to,
            subject: email.subject,
            text: email.text,
            html: email.html,
          });
        }
      };
      await Promise.all(Array.from({ length: config.connections }, sender));
      await sink.waitFor(config.endToEndMessages, 300_000);
      const { times } = await sink.arrivals();
      rates.push(
        config.endToEndMessages / (((times[config.endToEndMessages - 1] ?? nowMs()) - started) / 1000),
      );
    }
    return { rate: measurement(rates, 'msg/s') };
  } finally {
    client.close();
    await relay.stop();
  }
}
