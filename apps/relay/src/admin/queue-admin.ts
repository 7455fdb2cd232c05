import type { EmailEvent } from '@mailq/contracts';
import type { PartitionLayout, QueueKind, RedisClient } from '@mailq/queues';
import type { Stores } from '@mailq/store';
import type { Job } from 'bullmq';
import { matches, viewOf, type FailedFilter, type FailedJobView } from './failed-jobs';
import { queueSet, type QueueEntry } from './queue-set';

export interface QueueStatus {
  queue: QueueKind;
  partition: number;
  /** BullMQ prefix (hash tag): the queue's keys are `<prefix>:<queue>:…`, e.g. the `wait` list KEDA reads. */
  prefix: string;
  paused: boolean;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface DrainReport {
  drained: boolean;
  in_flight: number;
  waiting: number;
  delayed: number;
  failed: number;
}

// How far into a failed set one call looks; past it an operator narrows the filter.
const SCAN_LIMIT = 50_000;
const PAGE = 500;

/**
 * What an operator does to the queues, shared by the admin API and `mailq queue`:
 * status, pause and resume (a queue, a tenant, a destination), failed jobs
 * listed / retried / purged by filter, and drain before a deploy.
 */
export class QueueAdmin {
  readonly entries: QueueEntry[];

  constructor(
    redis: RedisClient,
    private readonly stores: Stores,
    namespace: string | undefined,
    layout: PartitionLayout,
  ) {
    this.entries = queueSet(redis, namespace, layout);
  }

  async status(): Promise<QueueStatus[]> {
    return Promise.all(
      this.entries.map(async ({ kind, partition, queue }) => {
        const counts = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
        return {
          queue: kind,
          partition,
          prefix: queue.opts.prefix ?? '',
          paused: await queue.isPaused(),
          waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
          active: counts.active ?? 0,
          delayed: counts.delayed ?? 0,
          failed: counts.failed ?? 0,
        };
      }),
    );
  }

  /** Pauses one queue (every partition of `email`) or, without `kind`, all: workers take nothing new. */
  async pause(kind?: QueueKind): Promise<number> {
    const chosen = this.of(kind);
    await Promise.all(chosen.map((e) => e.queue.pause()));
    return chosen.length;
  }

  async resume(kind?: QueueKind): Promise<number> {
    const chosen = this.of(kind);
    await Promise.all(chosen.map((e) => e.queue.resume()));
    return chosen.length;
  }

  async failed(kind: QueueKind, filter: FailedFilter): Promise<FailedJobView[]> {
    const found = await this.findFailed(kind, filter);
    return found.map(({ job, entry }) => viewOf(job, entry.kind, entry.partition));
  }

  /**
   * Sends matching failed jobs round again. For email, recipients the safety
   * net marked `failed` are reopened first, so the retry really delivers them;
   * delivered or bounced recipients stay as they are (the ledger).
   */
  async retryFailed(kind: QueueKind, filter: FailedFilter): Promise<number> {
    const found = await this.findFailed(kind, filter);
    for (const { job } of found) {
      if (kind === 'email') await this.reopenFailedRecipients(String(job.id));
      await job.retry('failed');
    }
    return found.length;
  }

  async purgeFailed(kind: QueueKind, filter: FailedFilter): Promise<number> {
    const found = await this.findFailed(kind, filter);
    for (const { job } of found) await job.remove();
    return found.length;
  }

  /**
   * Before a deploy: pause every queue and wait until no job is in flight, so
   * workers can be replaced without cutting a send short. Resume afterwards.
   */
  async drain(options: { timeoutMs: number; pollMs?: number; onProgress?: (inFlight: number) => void }) {
    await this.pause();
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const status = await this.status();
      const inFlight = sum(status, 'active');
      const report: DrainReport = {
        drained: inFlight === 0,
        in_flight: inFlight,
        waiting: sum(status, 'waiting'),
        delayed: sum(status, 'delayed'),
        failed: sum(status, 'failed'),
      };
      if (report.drained || Date.now() >= deadline) return report;
      options.onProgress?.(inFlight);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.entries.map((e) => e.queue.close()));
  }

  private of(kind?: QueueKind): QueueEntry[] {
    return kind === undefined ? this.entries : this.entries.filter((e) => e.kind === kind);
  }

  private async findFailed(kind: QueueKind, filter: FailedFilter) {
    const found: Array<{ job: Job; entry: QueueEntry }> = [];
    for (const entry of this.of(kind)) {
      for (let start = 0; start < SCAN_LIMIT && found.length < filter.limit; start += PAGE) {
        const page = await entry.queue.getFailed(start, start + PAGE - 1);
        for (const job of page) {
          if (found.length < filter.limit && matches(job, filter)) found.push({ job, entry });
        }
        if (page.length < PAGE) break;
      }
    }
    return found;
  }

  private async reopenFailedRecipients(messageId: string): Promise<void> {
    const ledger = await this.stores.messages.recipients(messageId);
    const failed = [...ledger.values()].filter((r) => r.status === 'failed').map((r) => r.address);
    if (failed.length === 0) return;
    const at = new Date().toISOString();
    const detail = 'retried by an operator';
    const events: EmailEvent[] = failed.map((recipient) => ({ type: 'retried', at, recipient, detail }));
    await this.stores.messages.update(
      messageId,
      failed.map((address) => ({ address, status: 'queued', reply: detail })),
      events,
      at,
    );
  }
}

function sum(status: QueueStatus[], field: 'active' | 'waiting' | 'delayed' | 'failed'): number {
  return status.reduce((total, s) => total + s[field], 0);
}
