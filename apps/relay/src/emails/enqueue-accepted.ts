import type { TraceCarrier } from '@mailq/contracts';
import { enqueueBulk, type EmailQueues } from '@mailq/queues';
import type { Stores } from '@mailq/store';
import { ATTRS, SPANS, tracer } from '@mailq/telemetry';
import { context, propagation, trace } from '@opentelemetry/api';
import { durably } from '../storage-errors';
import type { AcceptedMessage } from './accepted-message';

/**
 * Writes the message records, then the jobs (one addBulk), and resolves only
 * when Redis has acknowledged both. If the jobs cannot be written the records
 * are removed, so nothing half-accepted remains; either way the caller gets
 * `storage_unavailable` and answers 503.
 */
export async function enqueueAccepted(
  stores: Stores,
  queues: EmailQueues,
  messages: AcceptedMessage[],
  carrier?: TraceCarrier,
): Promise<void> {
  const parent = carrier ? propagation.extract(context.active(), carrier) : context.active();
  const span = tracer().startSpan(
    SPANS.relayEnqueue,
    { attributes: { [ATTRS.recipients]: messages.length } },
    parent,
  );
  try {
    await context.with(trace.setSpan(parent, span), async () => {
      await durably(() => Promise.all(messages.map((m) => stores.messages.create(m.record))));
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
                batch.map((m) => ({ jobId: m.job.id, payload: m.job, delayMs: m.delayMs })),
              ),
            ),
          ),
        );
      } catch (error) {
        await Promise.allSettled(messages.map((m) => stores.messages.remove(m.record.tenantId, m.record.id)));
        throw error;
      }
    });
  } finally {
    span.end();
  }
}
