import type { BenchConfig } from './config';
import { sampleEmail } from './support/messages';
import { ratioRow, type ScenarioResult } from './support/results';
import { measureInterleaved } from './support/round';
import type { Fixtures } from './support/fixtures';
import type { IngestSubject } from './support/stacks';
import { measurement, ratioOf } from './support/stats';
import { summarize } from './ingest-single.bench';

/**
 * Scenario 2: batch ingest, 100 messages per request. Mail Queue's
 * `POST /v1/emails/batch` vs the hand-written server calling stock
 * `addBulk` once per request. Figures in messages per second.
 */
export async function ingestBatch(config: BenchConfig, fixtures: Fixtures): Promise<ScenarioResult> {
  const started = Date.now();
  const { product, stock } = await fixtures.ingestFixture();
  const subjects = [product, stock];
  const body = JSON.stringify(Array.from({ length: config.batchSize }, () => sampleEmail()));
  const load = {
    path: '/v1/emails/batch',
    body,
    // Few connections, long rounds: a batch takes a while to answer, and a rate counted
    // over answered requests is only exact when a round lasts many request latencies.
    connections: 4,
  };
  const rounds = await measureInterleaved(subjects, load, {
    warmupS: config.warmupSeconds,
    // Long rounds: see `connections` above.
    roundS: 2 * config.ingestSeconds,
    rounds: config.rounds,
    check: (subject, answer) => {
      const ids = ((answer as { data?: Array<{ id?: string }> }).data ?? []).filter(
        (item) => typeof item.id === 'string',
      ).length;
      if (ids !== config.batchSize)
        throw new Error(`${subject.label} accepted ${ids}/${config.batchSize} batch items`);
    },
  });
  const rate = (s: IngestSubject) =>
    measurement(
      (rounds.get(s) ?? []).map((r) => r.load.rate * config.batchSize),
      'msg/s',
    );
  const [p, st] = [rate(product), rate(stock)];
  return {
    id: 'ingest-batch',
    title: `Batch ingest (${config.batchSize} per request)`,
    rows: [
      ratioRow({
        id: 'ingest-batch-vs-addbulk',
        label: 'batch ingest vs Hono + addBulk',
        subject: p,
        baseline: st,
        baselineLabel: 'Hono + addBulk',
        ratio: ratioOf(p, st),
        target: { op: '>=', value: 1.0 },
      }),
    ],
    details: {
      batchSize: config.batchSize,
      connections: load.connections,
      perSubjectPerRequest: Object.fromEntries(
        subjects.map((s) => [s.label, summarize(rounds.get(s) ?? [])]),
      ),
    },
    notes: [
      'Per-request figures in the details are per batch request (divide by the batch size per message).',
    ],
    durationS: (Date.now() - started) / 1000,
  };
}
