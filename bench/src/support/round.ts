import { commandDelta, snapshot, totalCalls, type CommandStat } from './redis-stats';
import { runLoad, type LoadOptions, type LoadResult } from './load';
import type { IngestSubject } from './stacks';

/** One closed-loop round against one subject, with where the CPU went. */
export interface RoundResult {
  load: LoadResult;
  /** CPU µs of the server process, of Redis (main thread) and of the load generator, per request sent. */
  serverCpuPerRequest: number;
  redisCpuPerRequest: number;
  loadgenCpuPerRequest: number;
  /** Redis commands executed per request sent (scripts' inner commands included). */
  redisCommandsPerRequest: number;
  commands: Record<string, CommandStat>;
}

/** Resets the subject, runs the load and reads the CPU and Redis counters around it. */
export async function measureRound(
  subject: IngestSubject,
  load: Omit<LoadOptions, 'url' | 'headers'>,
): Promise<RoundResult> {
  await subject.reset();
  // Ingest scenarios run on one redis-server: its only master is the node to read.
  const redis = subject.redis?.masters()[0];
  const [server0, redis0] = await Promise.all([subject.cpuMicros(), redis ? snapshot(redis) : null]);
  const loadgen0 = process.cpuUsage();
  const result = await runLoad({ ...load, url: subject.url, headers: subject.headers[0] ?? {} });
  const loadgen = process.cpuUsage(loadgen0);
  const [server1, redis1] = await Promise.all([subject.cpuMicros(), redis ? snapshot(redis) : null]);
  // Per request sent: requests still in flight when the run stops were worked on too.
  const per = (value: number) => (result.sent > 0 ? value / result.sent : Number.NaN);
  const commands = redis0 && redis1 ? commandDelta(redis0, redis1) : {};
  return {
    load: result,
    serverCpuPerRequest: per(server1 - server0),
    redisCpuPerRequest: redis0 && redis1 ? per(redis1.cpuMicros - redis0.cpuMicros) : 0,
    loadgenCpuPerRequest: per(loadgen.user + loadgen.system),
    redisCommandsPerRequest: per(totalCalls(commands)),
    commands,
  };
}

/** Rotates the order of subjects each round, so no subject always runs first or last. */
export function rotated<T>(items: T[], round: number): T[] {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Fails loudly unless the subject answers this request with 2xx: a figure of errors is no figure. */
export async function probe(subject: IngestSubject, path: string, body: string): Promise<unknown> {
  const response = await fetch(subject.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...subject.headers[0] },
    body,
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${subject.label} answered ${response.status} to ${path}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

export interface InterleavedRounds {
  /** Seconds of load per subject before measuring (JIT, pools); not counted. */
  warmupS: number;
  /** Seconds per measured round. */
  roundS: number;
  rounds: number;
  /** Checks a subject's answer to one request before anything is measured. */
  check?: (subject: IngestSubject, answer: unknown) => void;
}

/**
 * Probes and warms every subject, then measures `rounds` rounds of each with
 * the subjects' order rotated every round, so background load hits them alike.
 */
export async function measureInterleaved(
  subjects: IngestSubject[],
  load: Omit<LoadOptions, 'url' | 'headers' | 'durationS'> & { path: string; body: string },
  plan: InterleavedRounds,
): Promise<Map<IngestSubject, RoundResult[]>> {
  for (const subject of subjects) {
    const answer = await probe(subject, load.path, load.body);
    plan.check?.(subject, answer);
    await runLoad({ ...load, url: subject.url, headers: subject.headers[0] ?? {}, durationS: plan.warmupS });
  }
  const rounds = new Map<IngestSubject, RoundResult[]>(subjects.map((s) => [s, []]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const subject of rotated(subjects, round))
      rounds.get(subject)?.push(await measureRound(subject, { ...load, durationS: plan.roundS }));
  }
  return rounds;
}
