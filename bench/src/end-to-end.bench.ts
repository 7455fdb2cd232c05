import nodemailer from 'nodemailer';
import {
  POSTFIX_INSTALL_HINT,
  findPostfix,
  postfixPrivilegeProblem,
  startPostfixRelay,
  type PostfixRelay,
} from './baselines/postfix';
import type { BenchConfig } from './config';
import { nowMs, pollUntil } from './support/clock';
import { deliveryRound, type DeliveryRound, type DeliveryStack } from './support/delivery-stack';
import type { Fixtures } from './support/fixtures';
import { sampleEmail, type SampleEmail } from './support/messages';
import { ratioRow, skippedRow, type Row, type ScenarioResult } from './support/results';
import { rotated } from './support/round';
import type { Sink } from './support/stacks';
import { measurement, median, ratioOf } from './support/stats';

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
  const rounds = new Map<DeliveryStack, DeliveryRound[]>(stacks.map((s) => [s, []]));
  // Postfix (when it can run here) is a third subject of the same rotated rounds.
  const postfix = await startPostfixPeer(sink, email, config);
  try {
    // Warm-up (full runs): one round of 1,000 each, not counted. With 200 the first counted round
    // still ran at ~55–65 % of the others, for every subject alike.
    if (!config.quick) {
      for (const stack of stacks) await deliveryRound(stack, sink, 1_000, body, config);
      await postfix.round(1_000, false);
    }
    const subjects: Array<() => Promise<unknown>> = [
      ...stacks.map(
        (stack) => async () =>
          rounds.get(stack)?.push(await deliveryRound(stack, sink, config.endToEndMessages, body, config)),
      ),
      ...(postfix.relay ? [() => postfix.round(config.endToEndMessages, true)] : []),
    ];
    for (let round = 0; round < config.deliveryRounds; round++) {
      for (const subject of rotated(subjects, round)) await subject();
    }
  } finally {
    await postfix.stop();
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
  const postfixRate = postfix.skipped() ? undefined : summarizePostfix(postfix.rounds);
  if (!postfixRate) {
    const reason = postfix.skipped() ?? 'no round measured';
    notes.push(`Postfix: ${reason}`);
    rows.push(
      skippedRow('e2e-vs-postfix', 'end-to-end delivery vs Postfix relay', reason, {
        op: '>=',
        value: 5,
      }),
    );
  } else {
    notes.push(postfix.describe());
    rows.push(
      ratioRow({
        id: 'e2e-vs-postfix',
        label: 'end-to-end delivery vs Postfix relay',
        subject: p,
        baseline: postfixRate.rate,
        baselineLabel: 'nodemailer → Postfix → sink',
        ratio: ratioOf(p, postfixRate.rate),
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
      ...(postfixRate ? { postfix: postfixRate } : {}),
    },
    notes,
    durationS: (Date.now() - started) / 1000,
    peaks: { product: p.median, stock: st.median },
  };
}

/** Rate, tail and CPU per message of a subject's rounds, as medians (every delivery subject reports these). */
function summarizeRounds<R extends { rate: number; tailMs: number; cpuUs: Record<string, number> }>(
  rounds: R[],
) {
  const med = (pick: (r: R) => number) => median(rounds.map(pick));
  const processes = Object.keys(rounds[0]?.cpuUs ?? {});
  return {
    rate: measurement(
      rounds.map((r) => r.rate),
      'msg/s',
    ),
    tailAfterLastDeliveryMs: med((r) => r.tailMs),
    cpuUsPerMessage: Object.fromEntries(processes.map((p) => [p, med((r) => r.cpuUs[p] ?? 0)])),
  };
}

export function summarizeDelivery(rounds: DeliveryRound[]) {
  const last = rounds.at(-1);
  return {
    ...summarizeRounds(rounds),
    redisCommandsPerMessage: median(rounds.map((r) => r.redisCommandsPerMessage)),
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

/** One Postfix round: from the first SMTP submission to the last 250 at the sink. */
interface PostfixRound {
  rate: number;
  /** After the last 250, until Postfix's queue was empty (every queue file removed), ms. */
  tailMs: number;
  /** CPU µs per message: Postfix (master and all its daemons), the submitting application, the sink. */
  cpuUs: { postfix: number; app: number; sink: number };
}

function summarizePostfix(rounds: PostfixRound[]) {
  return rounds.length === 0 ? undefined : summarizeRounds(rounds);
}

/** SMTP connections of the application's pooled nodemailer transport to Postfix. */
const POSTFIX_SUBMIT_CONNECTIONS = 10;

/**
 * Postfix as the peer: the application composes each message and submits it
 * over SMTP (pooled nodemailer, `config.connections` sends in flight, as many
 * as the HTTP load's connections) to a private Postfix that relays to the
 * same sink. A round that fails ends the Postfix measurements (the row is
 * skipped with the reason) without failing the scenario.
 */
async function startPostfixPeer(sink: Sink, email: SampleEmail, config: BenchConfig) {
  const rounds: PostfixRound[] = [];
  let skipped: string | undefined;
  let relay: PostfixRelay | undefined;
  const postfix = await findPostfix();
  const problem = postfix ? postfixPrivilegeProblem() : `not installed; ${POSTFIX_INSTALL_HINT}`;
  if (!postfix || problem) {
    skipped = problem ?? 'not installed';
    console.log(`  Postfix row skipped: ${skipped}`);
  } else {
    const started = await startPostfixRelay(postfix, Number(new URL(sink.url).port)).catch(
      (error: Error) => error,
    );
    if (started instanceof Error) {
      console.log(`  Postfix: ${started.message}`);
      skipped = `could not start a private instance: ${started.message.split('\n')[0] ?? ''}`;
    } else relay = started;
  }
  return {
    relay,
    rounds,
    skipped: () => skipped,
    describe: () =>
      `Postfix ${relay?.version ?? ''}: private instance (own config, queue and data directories, free ` +
      `loopback port, relayhost = the sink, destination concurrency 20, stock settings otherwise); the ` +
      `application composes each message with nodemailer and submits it over a pool of ` +
      `${POSTFIX_SUBMIT_CONNECTIONS} SMTP connections, ${config.connections} sends in flight; timed from ` +
      `the first submission to the last 250 at the sink, Postfix's queue checked empty after every round.`,
    async round(messages: number, counted: boolean): Promise<void> {
      if (!relay || skipped) return;
      try {
        const result = await postfixRound(relay, sink, messages, email, config);
        if (counted) rounds.push(result);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.log(`  Postfix round failed: ${message}`);
        skipped = `a round failed: ${message.split('\n')[0] ?? ''}`;
      }
    },
    async stop(): Promise<void> {
      await relay?.stop();
    },
  };
}

async function postfixRound(
  relay: PostfixRelay,
  sink: Sink,
  messages: number,
  email: SampleEmail,
  config: BenchConfig,
): Promise<PostfixRound> {
  await sink.clear();
  const left = await relay.queued();
  if (left !== 0) throw new Error(`${left} messages left in Postfix's queue before the round`);
  const client = nodemailer.createTransport({
    host: '127.0.0.1',
    port: relay.port,
    pool: true,
    maxConnections: POSTFIX_SUBMIT_CONNECTIONS,
  });
  try {
    const [postfix0, sink0] = await Promise.all([relay.cpuMicros(), sink.proc.cpuMicros()]);
    const app0 = process.cpuUsage();
    const started = nowMs();
    let next = 0;
    const sender = async () => {
      while (next < messages) {
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
    const app = process.cpuUsage(app0);
    // Until the last 250 at the sink. A deferred message is a failed delivery
    // (Postfix would retry it minutes later): fail now, with Postfix's log.
    let polls = 0;
    await pollUntil(
      async () => {
        if ((await sink.count()) >= messages) return true;
        if (++polls % 25 === 0 && (await relay.deferred()) > 0)
          throw new Error(`Postfix deferred a delivery to the sink:\n${await relay.logTail(5)}`);
        return false;
      },
      120_000,
      `${messages} messages relayed by Postfix`,
      20,
    );
    const { times } = await sink.arrivals();
    const last = times[messages - 1] ?? nowMs();
    // Drained: Postfix removes a queue file once the delivery is recorded.
    await pollUntil(async () => (await relay.queued()) === 0, 30_000, "Postfix's queue to drain", 20);
    const idleAt = nowMs();
    const [postfix1, sink1, arrived] = await Promise.all([
      relay.cpuMicros(),
      sink.proc.cpuMicros(),
      sink.count(),
    ]);
    if (arrived !== messages) throw new Error(`the sink got ${arrived} messages for ${messages} submitted`);
    return {
      rate: messages / ((last - started) / 1000),
      tailMs: Math.max(0, idleAt - last),
      cpuUs: {
        postfix: (postfix1 - postfix0) / messages,
        app: (app.user + app.system) / messages,
        sink: (sink1 - sink0) / messages,
      },
    };
  } finally {
    client.close();
  }
}
