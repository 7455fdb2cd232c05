import { QUEUES, type JobPayload } from '@mailq/queues';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { counterFields, type CountedEvent, type DayCounts } from '../analytics-store';

/** How long counts are added up in memory before they go out as one job. */
export const ANALYTICS_FLUSH_MS = 500;
/** Distinct counters per job at most; a busier window is sent early. */
const MAX_FIELDS_PER_JOB = 2_000;

/**
 * Adds up counted events in memory and hands them to the analytics queue as
 * one job per window instead of one job per event: a delivered message used
 * to cost two job lifecycles (~70 Redis commands) just to be counted; now a
 * window of any size costs one. The trade-off: the counts of the current
 * window (at most ANALYTICS_FLUSH_MS) are lost if the process is killed —
 * counters, never messages or events; a graceful stop flushes them.
 */
export class AnalyticsBatcher {
  private counts = new Map<string, DayCounts>();
  private fieldCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly queue: Queue,
    private readonly flushMs = ANALYTICS_FLUSH_MS,
  ) {}

  add(event: CountedEvent): void {
    const { day, fields } = counterFields(event);
    for (const field of fields) this.addTo(event.tenantId, day, field, 1);
  }

  /** Sends what has been added up so far as one job. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.counts.size === 0) return Promise.resolve();
    const counts = [...this.counts.values()];
    this.counts = new Map();
    this.fieldCount = 0;
    const payload: JobPayload<'analytics'> = { counts };
    const sent: Promise<void> = this.queue
      .add('analytics', payload, { ...QUEUES.analytics.jobOptions, jobId: `cnt_${randomUUID()}` })
      .then(
        () => undefined,
        // Redis unreachable: the counts wait for the next window rather than being dropped.
        () => {
          for (const c of counts)
            for (const [field, n] of Object.entries(c.fields)) this.addTo(c.tenantId, c.day, field, n);
        },
      )
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
    return sent;
  }

  /** Flushes and waits until every job has been written (or given back to the next window). */
  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }

  private addTo(tenantId: string, day: string, field: string, n: number): void {
    const key = `${tenantId}\n${day}`;
    let entry = this.counts.get(key);
    if (!entry) this.counts.set(key, (entry = { tenantId, day, fields: {} }));
    if (entry.fields[field] === undefined) this.fieldCount++;
    entry.fields[field] = (entry.fields[field] ?? 0) + n;
    if (this.fieldCount >= MAX_FIELDS_PER_JOB) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      // A pending window must not keep a finished process alive; close() flushes it.
      this.timer.unref();
    }
  }
}
