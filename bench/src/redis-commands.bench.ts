import { queuePrefix } from '@mailq/queues';
import type { Redis } from 'ioredis';
import type { BenchConfig } from './config';
import { BENCH_NAMESPACE } from './product/namespace';
import { sleep } from './support/clock';
import { deliveryRound, type DeliveryRound, type DeliveryStack } from './support/delivery-stack';
import type { Fixtures } from './support/fixtures';
import { runLoad } from './support/load';
import { sampleEmail } from './support/messages';
import { attribute, type Attribution, type KeySpaces } from './support/monitor';
import { commandDelta, perUnit, snapshot, totalCalls } from './support/redis-stats';
import { ratioRow, type ScenarioResult } from './support/results';
import { rotated } from './support/round';
import { waitForIdle, type Sink } from './support/stacks';
import { measurement, median, ratioOf } from './support/stats';

/**
 * Scenario 6: Redis work per delivered message (INFO commandstats: every
 * command Redis executed, those inside Lua scripts included; Redis main-thread
 * CPU) for Mail Queue and the stock stack, until every queue is empty again;
 * a MONITOR sample attributing the commands to BullMQ or to the product; and
 * the commands per second of each stack while idle.
 */
export async function redisCommands(config: BenchConfig, fixtures: Fixtures): Promise<ScenarioResult> {
  const started = Date.now();
  const { sink, product, stock } = await fixtures.deliveryFixture();
  const stacks = [product, stock];
  const body = JSON.stringify(sampleEmail());
  const rounds = new Map<DeliveryStack, DeliveryRound[]>(stacks.map((s) => [s, []]));
  for (let round = 0; round < config.deliveryRounds; round++) {
    for (const stack of rotated(stacks, round))
      rounds.get(stack)?.push(await deliveryRound(stack, sink, config.commandMessages, body, config));
  }
  const of = (stack: DeliveryStack, pick: (r: DeliveryRound) => number, unit: string) =>
    measurement((rounds.get(stack) ?? []).map(pick), unit);
  const commandsP = of(product, (r) => r.redisCommandsPerMessage, 'cmd/msg');
  const commandsS = of(stock, (r) => r.redisCommandsPerMessage, 'cmd/msg');
  const cpuP = of(product, (r) => r.cpuUs.redis, 'µs/msg');
  const cpuS = of(stock, (r) => r.cpuUs.redis, 'µs/msg');
  const usecOf = (r: DeliveryRound) =>
    Object.values(r.commands).reduce((sum, c) => sum + c.usec, 0) / r.messages;

  const attributions: Record<string, Attribution> = {};
  for (const stack of stacks) attributions[stack.label] = await attributeStack(stack, sink, body, config);
  // Idle stacks use no CPU to speak of: both are observed at once, each on its own Redis.
  const idleRates = await Promise.all(stacks.map((stack) => idleRate(stack, config.idleSeconds)));
  const idle = Object.fromEntries(stacks.map((stack, i) => [stack.label, idleRates[i]]));
  const idleP = measurement([idle[product.label]?.commandsPerSecond ?? Number.NaN], 'cmd/s');
  const idleS = measurement([idle[stock.label]?.commandsPerSecond ?? Number.NaN], 'cmd/s');
  return {
    id: 'redis-commands',
    title: 'Redis commands and CPU per delivered message; idle fleet',
    rows: [
      ratioRow({
        id: 'commands-per-message',
        label: 'Redis commands per delivered message vs stock stack',
        subject: commandsP,
        baseline: commandsS,
        baselineLabel: stock.label,
        ratio: ratioOf(commandsP, commandsS),
        target: { op: '<=', value: 0.6 },
      }),
      ratioRow({
        id: 'redis-cpu-per-message',
        label: 'Redis CPU per delivered message vs stock stack',
        subject: cpuP,
        baseline: cpuS,
        baselineLabel: stock.label,
        ratio: ratioOf(cpuP, cpuS),
      }),
      ratioRow({
        id: 'idle-commands-per-second',
        label: 'Redis commands per second, idle worker fleet (absolute target)',
        subject: idleP,
        baseline: idleS,
        baselineLabel: 'idle stock Worker',
        ratio: idleP,
        target: { op: '<=', value: 5 },
      }),
    ],
    details: {
      messagesPerRound: config.commandMessages,
      perStack: Object.fromEntries(
        stacks.map((s) => {
          const list = rounds.get(s) ?? [];
          const last = list.at(-1);
          return [
            s.label,
            {
              commandsPerMessage: median(list.map((r) => r.redisCommandsPerMessage)),
              commandstatsUsecPerMessage: median(list.map(usecOf)),
              redisCpuUsPerMessage: median(list.map((r) => r.cpuUs.redis)),
              byCommand: last ? perUnit(last.commands, last.messages) : [],
            },
          ];
        }),
      ),
      attribution: attributions,
      idle,
    },
    notes: [
      'Commands per message count everything Redis executed (commands inside Lua scripts too) until every queue, analytics included, was empty.',
      "Redis CPU is the main thread's user+sys time (INFO cpu): command execution plus network I/O.",
      `Attribution from MONITOR on a ${config.monitorMessages}-message sample (not timed).`,
    ],
    durationS: (Date.now() - started) / 1000,
  };
}

function keySpaces(stack: DeliveryStack): KeySpaces {
  return stack.kind === 'product'
    ? { bullmq: [queuePrefix(BENCH_NAMESPACE).slice(0, -1)], ours: [`${BENCH_NAMESPACE}:`] }
    : { bullmq: ['bull:'], ours: [] };
}

function adminOf(stack: DeliveryStack): Redis {
  const node = stack.ingest.redis?.masters()[0];
  if (!node) throw new Error('no redis');
  return node;
}

async function attributeStack(
  stack: DeliveryStack,
  sink: Sink,
  body: string,
  config: BenchConfig,
): Promise<Attribution> {
  await stack.ingest.reset();
  await sink.clear();
  const admin = adminOf(stack);
  return attribute(admin, keySpaces(stack), config.monitorMessages, async () => {
    await runLoad({
      url: stack.ingest.url,
      path: '/v1/emails',
      body,
      headers: stack.ingest.headers[0] ?? {},
      connections: Math.min(config.connections, 16),
      amount: config.monitorMessages,
    });
    await sink.waitFor(config.monitorMessages, 60_000);
    await waitForIdle(admin, stack.queues, 60_000);
  });
}

/**
 * Commands per second Redis runs for a stack that has just finished its work
 * (queues empty) and now has nothing to do — the state a fleet idles in between
 * bursts. Redis is not emptied under it. BullMQ's periodic work (stalled-job
 * checks every JOB_LOCK_MS = 30 s, blocking-pop timeouts) comes in bursts, so
 * the window of a full run spans a whole stalled-check period.
 */
async function idleRate(stack: DeliveryStack, seconds: number) {
  const admin = adminOf(stack);
  await waitForIdle(admin, stack.queues, 60_000);
  await sleep(2_000);
  const before = await snapshot(admin);
  await sleep(seconds * 1000);
  const commands = commandDelta(before, await snapshot(admin));
  return {
    commandsPerSecond: totalCalls(commands) / seconds,
    commands: Object.fromEntries(
      Object.entries(commands).map(([name, stat]) => [name, stat.calls / seconds]),
    ),
  };
}
