import type { EmailEvent } from '@mailq/contracts';
import type { RecipientUpdate, Stores } from '@mailq/store';
import type { RecipientOutcome } from './deliver-group';

/**
 * Writes one transaction's outcomes to the ledger right away (so a crash
 * before the next destination never re-sends to this one), and adds hard
 * bounces to the tenant's suppression list. A deferral past the message's
 * lifetime becomes a failure carrying the last reply.
 */
export async function recordOutcomes(
  stores: Stores,
  message: { id: string; tenantId: string },
  outcomes: RecipientOutcome[],
  lifetimeOver: boolean,
  at: string,
): Promise<void> {
  const updates: RecipientUpdate[] = [];
  const events: EmailEvent[] = [];
  for (const o of outcomes) {
    const status = statusOf(o, lifetimeOver);
    const detail = status === 'failed' ? `message lifetime exhausted; last attempt: ${o.detail}` : o.detail;
    updates.push({ address: o.address, status, reply: o.reply });
    events.push({ type: status, at, recipient: o.address, reply: o.reply, detail });
  }
  await stores.messages.update(message.id, updates, events, at);
  const hardBounces = outcomes.filter((o) => o.suppress && o.disposition === 'bounced');
  for (const o of hardBounces) {
    await stores.suppressions.add(message.tenantId, {
      email: o.address,
      reason: 'hard_bounce',
      source: `bounce:${message.id}`,
      detail: o.reply.slice(0, 500),
      created_at: at,
    });
  }
}

function statusOf(
  o: RecipientOutcome,
  lifetimeOver: boolean,
): 'delivered' | 'bounced' | 'deferred' | 'failed' {
  if (o.disposition === 'delivered') return 'delivered';
  // Policy rejections (5.7.x) are bounces too, but never suppress: the block is about us, not the mailbox.
  if (o.disposition === 'bounced' || o.disposition === 'policy') return 'bounced';
  return lifetimeOver ? 'failed' : 'deferred';
}

/** Marks throttled recipients deferred with the limit that held them back. */
export async function recordThrottled(
  stores: Stores,
  id: string,
  recipients: string[],
  reason: string,
  lifetimeOver: boolean,
  at: string,
): Promise<void> {
  const status = lifetimeOver ? 'failed' : 'deferred';
  const detail = lifetimeOver
    ? `message lifetime exhausted while throttled (${reason})`
    : `throttled: ${reason}`;
  await stores.messages.update(
    id,
    recipients.map((address) => ({ address, status, reply: detail })),
    recipients.map((recipient) => ({ type: status, at, recipient, detail })),
    at,
  );
}
