import type { Queue } from 'bullmq';
import type { Platform } from '../../support/platform';
import type { Arrival, SinkProcess } from './sink-process';
import { acceptedIds, type LoadOutcome } from './steady-load';
import { sleep } from './timeline';

/** The counts every fault scenario reports and asserts on. */
export interface Tally {
  /** Messages the ingest answered 2xx for. */
  accepted: number;
  /** Distinct accepted messages that arrived at the SMTP sink. */
  delivered: number;
  /** Accepted but never arrived, or whose API status never reached `delivered`. */
  lost: number;
  /** Arrivals beyond the first of an accepted message. */
  duplicated: number;
  /** Requests answered otherwise: status → count (0 is no answer). */
  refused: Record<number, number>;
  /** Arrivals of messages that were never answered 2xx (allowed: the client was told to retry). */
  unacknowledgedArrivals: number;
  /** Accepted ids among the lost, for the failure message. */
  lostIds: string[];
}

const MESSAGE_ID = /^<([^@>]+)@/;

/** The platform's message id in a Message-ID header (`<id@sender-domain>`, fixed at acceptance). */
export function messageIdOf(arrival: Arrival): string | undefined {
  return MESSAGE_ID.exec(arrival.messageId ?? '')?.[1];
}

function arrivalsById(messages: Arrival[]): Map<string, number> {
  const arrivals = new Map<string, number>();
  for (const message of messages) {
    const id = messageIdOf(message);
    if (id !== undefined) arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
  }
  return arrivals;
}

/** Counts accepted / delivered / lost / duplicated from the load's answers and the sink's arrivals. */
export function countDeliveries(
  outcomes: LoadOutcome[],
  messages: Arrival[],
  statusNotDelivered: ReadonlySet<string> = new Set(),
): Tally {
  const accepted = new Set(acceptedIds(outcomes));
  const arrivals = arrivalsById(messages);
  const refused: Record<number, number> = {};
  for (const { status } of outcomes)
    if (status < 200 || status >= 300) refused[status] = (refused[status] ?? 0) + 1;
  let delivered = 0;
  let duplicated = 0;
  const lostIds: string[] = [];
  for (const id of accepted) {
    const count = arrivals.get(id) ?? 0;
    if (count > 0) delivered++;
    duplicated += Math.max(0, count - 1);
    if (count === 0 || statusNotDelivered.has(id)) lostIds.push(id);
  }
  let unacknowledgedArrivals = 0;
  for (const [id, count] of arrivals) if (!accepted.has(id)) unacknowledgedArrivals += count;
  return {
    accepted: accepted.size,
    delivered,
    lost: lostIds.length,
    duplicated,
    refused,
    unacknowledgedArrivals,
    lostIds,
  };
}

/** Duplicates as a share of accepted messages. */
export function duplicateRate(tally: Tally): number {
  return tally.accepted === 0 ? 0 : tally.duplicated / tally.accepted;
}

/** `faults: <name> — accepted 812, delivered 812, lost 0, duplicated 0 (0.00%)`, plus what was refused. */
export function formatTally(name: string, tally: Tally, seconds: number): string {
  const refused = Object.entries(tally.refused)
    .map(([status, count]) => `${status === '0' ? 'no answer' : status} ×${count}`)
    .join(', ');
  const extra = [
    refused ? `refused: ${refused}` : '',
    tally.unacknowledgedArrivals ? `unacknowledged arrivals ${tally.unacknowledgedArrivals}` : '',
    `${seconds.toFixed(1)} s`,
  ].filter(Boolean);
  return (
    `faults: ${name} — accepted ${tally.accepted}, delivered ${tally.delivered}, lost ${tally.lost}, ` +
    `duplicated ${tally.duplicated} (${(duplicateRate(tally) * 100).toFixed(2)}%) [${extra.join('; ')}]\n`
  );
}

/** Accepted ids whose API status is not (yet) `delivered`, asked with bounded concurrency. */
async function notDelivered(platform: Platform, ids: string[]): Promise<Set<string>> {
  const open = new Set<string>();
  const queue = [...ids];
  const ask = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const response = await platform.getEmail(id).catch(() => undefined);
      const body = response ? await response.text() : '';
      const status = response?.ok ? (JSON.parse(body) as { status: string }).status : 'unknown';
      if (status !== 'delivered') open.add(id);
    }
  };
  await Promise.all(Array.from({ length: 16 }, ask));
  return open;
}

async function queuesIdle(queues: Queue[]): Promise<boolean> {
  for (const queue of queues) {
    const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized');
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
}

/**
 * After the load: waits (up to `timeoutMs`) until every accepted message has
 * arrived, its API status is `delivered` and the email queues are idle (so a
 * job re-run after a crash has had its chance to arrive twice), then counts.
 * It does not throw on timeout: whatever is missing then is counted as lost.
 */
export async function settleAndCount(
  context: { platform: Platform; sink: SinkProcess; queues: Queue[] },
  outcomes: LoadOutcome[],
  timeoutMs = 60_000,
): Promise<Tally> {
  const { platform, sink, queues } = context;
  const deadline = Date.now() + timeoutMs;
  const ids = acceptedIds(outcomes);
  let open = new Set(ids);
  while (Date.now() < deadline) {
    const arrived = arrivalsById(sink.arrivals);
    if (ids.every((id) => arrived.has(id))) break;
    await sleep(200);
  }
  while (Date.now() < deadline) {
    open = await notDelivered(platform, [...open]);
    if (open.size === 0) break;
    await sleep(500);
  }
  while (Date.now() < deadline && !(await queuesIdle(queues).catch(() => false))) await sleep(200);
  // Late duplicates (a re-run of a job whose first run had delivered) land right after the queue empties.
  await sleep(500);
  return countDeliveries(outcomes, sink.arrivals, open);
}
