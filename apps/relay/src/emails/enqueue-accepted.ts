import type { TraceCarrier } from '@mailq/contracts';
import { enqueueBulk, packEmailJob, type EmailQueues } from '@mailq/queues';
import type { Stores } from '@mailq/store';
import { ATTRS, LABELS, SPANS, mailqMetrics, tracer } from '@mailq/telemetry';
import { context, propagation, trace } from '@opentelemetry/api';
import { durably } from '../storage-errors';
import type { AcceptedMessage } from './accepted-message';

export interface EnqueueOptions {
  /** The trace context the request carried (edge ingest). */
  carrier?: TraceCarrier;
  /** DURABILITY=replicated: confirms keys were replicated. */
  confirm?: (keys: string[]) => Promise<void>;
  /**
   * The messages were given to an earlier attempt of the same request (an
   * Idempotency-Key retried after a storage failure), which may have stored
   * them in part or whole: fields already in a record are kept, and nothing is
   * withdrawn on failure — a job may already be running against those records.
   */
  resumed?: boolean;
}

/**
 * Writes the message records, then the jobs (one addBulk), and resolves only
 * when Redis has acknowledged both. If the jobs cannot be written the records
 * are removed (unless resumed), so nothing half-accepted remains; either way
 * the caller gets `storage_unavailable` and answers 503.
 */
export async function enqueueAccepted(
  stores: Stores,
  queues: EmailQueues,
  messages: AcceptedMessage[],
  { carrier, confirm, resumed = false }: EnqueueOptions = {},
): Promise<void> {
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  const span = tracer().startSpan(
    SPANS.relayEnqueue,
    { attributes: { [ATTRS.recipients]: messages.length } },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), async () => {
      await durably(() =>
        Promise.all(messages.map((m) => stores.messages.create(m.record, { keepExisting: resumed }))),
      );
      try {
        // One addBulk (one MULTI on its slot) per partition the messages fall in.
        const byQueue = new Map<ReturnType<EmailQueues['of']>, AcceptedMessage[]>();
        for (const m of messages)
          byQueue.set(queues.of(m.job.id), [...(byQueue.get(queues.of(m.job.id)) ?? []), m]);
        await durably(() =>
          Promise.all(
            [...byQueue].map(([queue, batch]) =>
              enqueueBulk(
                queue,
                'email',
                batch.map((m) => ({ jobId: m.job.id, payload: packEmailJob(m.job), delayMs: m.delayMs })),
              ),
            ),
          ),
        );
      } catch (error) {
        if (!resumed)
          await Promise.allSettled(
            messages.map((m) => stores.messages.remove(m.record.tenantId, m.record.id)),
          );
        throw error;
      }
      if (confirm) {
        // DURABILITY=replicated: a replica must hold both the records and the jobs.
        const keys = messages.flatMap((m) => [
          stores.keys.message(m.record.id),
          `${queues.of(m.job.id).opts.prefix ?? ''}:email:${m.job.id}`,
        ]);
        try {
          await durably(() => confirm(keys));
        } catch (error) {
          // Not confirmed means not accepted: withdraw what we can (best effort) and answer 503.
          if (resumed) throw error;
          await Promise.allSettled(
            messages.flatMap((m) => [
              queues.of(m.job.id).remove(m.job.id),
              stores.messages.remove(m.record.tenantId, m.record.id),
            ]),
          );
          throw error;
        }
      }
      // Counted only now: every write the 2xx stands for has been acknowledged.
      const accepted = mailqMetrics().emailsAccepted;
      for (const m of messages) accepted.add(1, { [LABELS.tenant]: m.record.tenantId });
    });
  } finally {
    span.end();
  }
}
