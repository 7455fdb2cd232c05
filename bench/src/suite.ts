import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchConfig } from './config';
import { bullmqFloors } from './bullmq-floors.bench';
import { clusterDistribution } from './cluster-distribution.bench';
import { endToEnd } from './end-to-end.bench';
import { ingestBatch } from './ingest-batch.bench';
import { ingestSingle } from './ingest-single.bench';
import { latency } from './latency.bench';
import { redisCommands } from './redis-commands.bench';
import { redisMemory } from './redis-memory.bench';
import { Fixtures } from './support/fixtures';
import type { ScenarioResult, SuiteResult } from './support/results';

export const SCENARIOS = [
  'ingest-single',
  'ingest-batch',
  'end-to-end',
  'latency',
  'redis-commands',
  'redis-memory',
  'cluster-distribution',
  'bullmq-floors',
] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface SuiteOptions {
  config: BenchConfig;
  only?: ScenarioId[];
  log?: (line: string) => void;
}

/**
 * Runs the scenarios one after another (never two at once: they would share
 * the CPU). A scenario that fails is recorded with its error and the run
 * goes on; the caller decides what a failure means.
 */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const { config } = options;
  const revision = productRevision();
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const selected = SCENARIOS.filter((id) => !options.only || options.only.includes(id));
  const scenarios: ScenarioResult[] = [];
  let peaks: { product: number; stock: number } | undefined;
  const fixtures = new Fixtures();
  const runners: Record<ScenarioId, () => Promise<ScenarioResult>> = {
    'ingest-single': () => ingestSingle(config, fixtures),
    'ingest-batch': () => ingestBatch(config, fixtures),
    'end-to-end': async () => {
      const result = await endToEnd(config, fixtures);
      peaks = result.peaks;
      return result;
    },
    latency: () => latency(config, fixtures, peaks),
    'redis-memory': () => redisMemory(config, fixtures),
    'redis-commands': () => redisCommands(config, fixtures),
    'cluster-distribution': () => clusterDistribution(config),
    'bullmq-floors': () => bullmqFloors(config),
  };
  // Shared processes are stopped as soon as no later scenario needs them, so
  // they never idle (and poll Redis) beside another scenario's measurement.
  const lastUser = (ids: ScenarioId[]) => selected.filter((id) => ids.includes(id)).at(-1);
  const closeAfter: Partial<Record<ScenarioId, () => Promise<void>>> = {};
  const ingestLast = lastUser(['ingest-single', 'ingest-batch', 'redis-memory']);
  const deliveryLast = lastUser(['end-to-end', 'latency', 'redis-commands', 'redis-memory']);
  if (ingestLast) closeAfter[ingestLast] = () => fixtures.closeIngest();
  if (deliveryLast) closeAfter[deliveryLast] = () => fixtures.closeDelivery();
  // Both sets of shared processes start together, before the first measurement.
  if (ingestLast || deliveryLast) {
    log('starting the stacks…');
    await Promise.all([
      ingestLast ? fixtures.ingestFixture() : undefined,
      deliveryLast ? fixtures.deliveryFixture() : undefined,
    ]);
  }
  for (const id of selected) {
    log(`▶ ${id}`);
    const t0 = Date.now();
    try {
      const result = await runners[id]();
      scenarios.push(result);
      log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`  FAILED: ${message}`);
      scenarios.push({
        id,
        title: id,
        rows: [],
        details: {},
        notes: [],
        durationS: (Date.now() - t0) / 1000,
        error: message,
      });
    }
    await closeAfter[id]?.().catch((error: unknown) =>
      log(`  could not stop shared processes: ${String(error)}`),
    );
  }
  await fixtures.close();
  return {
    startedAt: new Date(started).toISOString(),
    quick: config.quick,
    machine: {
      cpus: cpus().length,
      node: process.version,
      redis: redisVersion(),
      platform: `${process.platform} ${process.arch}`,
      ...revision,
    },
    scenarios,
    durationS: (Date.now() - started) / 1000,
  };
}

/** The commit measured, and whether apps/ or packages/ had uncommitted changes when the run started. */
function productRevision(): { commit: string; dirty: boolean } {
  try {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--', 'apps', 'packages') !== '',
    };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

function redisVersion(): string {
  try {
    return execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
