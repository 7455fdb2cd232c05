import { TERMINAL_STATUSES } from '@mailq/contracts';
import type { EventPublisher, MessageStore } from '@mailq/store';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';

/**
 * Safety net for an email job that failed for good without the processor
 * recording why: a timeout, a payload that no longer parses, a job that
 * stalled too often. Recipients still queued, sending or deferred are marked
 * failed with the reason, so no message stays "sending" forever.
 */
export async function settleFailedEmail(
  messages: MessageStore,
  publisher: EventPublisher,
  id: string,
  reason: string,
  at: Date,
  metrics: DeliveryMetrics,
): Promise<void> {
  const ledger = await messages.recipients(id);
  const open = [...ledger.values()].filter((r) => !TERMINAL_STATUSES.has(r.status));
  if (open.length === 0) return;
  const when = at.toISOString();
  const detail = reason.slice(0, 1000);
  await messages.update(
    id,
    open.map((r) => ({ address: r.address, status: 'failed', reply: detail })),
    open.map((r) => ({ type: 'failed', at: when, recipient: r.address, detail })),
    when,
  );
  const tenantId = await messages.tenantOf(id);
  if (tenantId)
    metrics.count(
      tenantId,
      'failed',
      open.map((r) => r.address),
    );
  for (const r of open) {
    if (tenantId)
      await publisher.publish(tenantId, 'email.failed', { email_id: id, recipient: r.address, detail });
  }
}
