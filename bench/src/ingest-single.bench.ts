import type { BenchConfig } from './config';
import { sampleEmail } from './support/messages';
import { ratioRow, type ScenarioResult } from './support/results';
import { measureInterleaved, type RoundResult } from './support/round';
import type { Fixtures } from './support/fixtures';
import type { IngestSubject } from './support/stacks';
import { measurement, ratioOf, median } from './support/stats';

/**
 * Scenario 1: single-send ingest over HTTP (keep-alive, many connections,
 * 1.5 KB messages), closed loop. Mail Queue (ingest + relay in-process) vs a
 * hand-written Hono server calling stock `Queue.add`, and vs the same server
 * storing nothing (the ceiling). Each on its own fresh Redis, rounds
 * interleaved, Redis emptied before every round.
 */
export async function ingestSingle(config: BenchConfig, fixtures: Fixtures): Promise<ScenarioResult> {
  const started = Date.now();
  const { product, stock, ceiling } = await fixtures.ingestFixture();
  const subjects = [product, stock, ceiling];
  const body = JSON.stringify(sampleEmail());
  const load = { path: '/v1/emails', body, connections: config.connections };
  const rounds = await measureInterleaved(subjects, load, {
    warmupS: config.warmupSeconds,
    roundS: config.ingestSeconds,
    rounds: config.rounds,
  });
  const rate = (s: IngestSubject) =>
    measurement(
      (rounds.get(s) ?? []).map((r) => r.load.rate),
      'req/s',
    );
  const [p, st, c] = [rate(product), rate(stock), rate(ceiling)];
  return {
    id: 'ingest-single',
    title: 'Single-send ingest over HTTP',
    rows: [
      ratioRow({
        id: 'ingest-single-vs-add',
        label: 'single-send ingest vs Hono + Queue.add',
        subject: p,
        baseline: st,
        baselineLabel: stock.label,
        ratio: ratioOf(p, st),
        target: { op: '>=', value: 1.5 },
      }),
      ratioRow({
        id: 'ingest-single-vs-ceiling',
        label: 'single-send ingest vs no-enqueue ceiling',
        subject: p,
        baseline: c,
        baselineLabel: ceiling.label,
        ratio: ratioOf(p, c),
        target: { op: '>=', value: 0.85 },
      }),
    ],
    details: {
      messageBytes: body.length,
      connections: config.connections,
      perSubject: Object.fromEntries(subjects.map((s) => [s.label, summarize(rounds.get(s) ?? [])])),
    },
    notes: [],
    durationS: (Date.now() - started) / 1000,
  };
}

/** Medians over the rounds of where each request's CPU and Redis work went. */
export function summarize(rounds: RoundResult[]) {
  const last = rounds.at(-1);
  const total = last?.load.sent ?? 1;
  return {
    rate: measurement(
      rounds.map((r) => r.load.rate),
      'req/s',
    ),
    serverCpuUsPerRequest: median(rounds.map((r) => r.serverCpuPerRequest)),
    redisCpuUsPerRequest: median(rounds.map((r) => r.redisCpuPerRequest)),
    loadgenCpuUsPerRequest: median(rounds.map((r) => r.loadgenCpuPerRequest)),
    redisCommandsPerRequest: median(rounds.map((r) => r.redisCommandsPerRequest)),
    latencyP50Ms: median(rounds.map((r) => r.load.latencyP50Ms)),
    latencyP99Ms: median(rounds.map((r) => r.load.latencyP99Ms)),
    non2xx: rounds.reduce((sum, r) => sum + r.load.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.load.errors, 0),
    commandsPerRequestLastRound: Object.fromEntries(
      Object.entries(last?.commands ?? {})
        .sort(([, a], [, b]) => b.calls - a.calls)
        .map(([name, stat]) => [name, { calls: stat.calls / total, usec: stat.usec / total }]),
    ),
  };
}
