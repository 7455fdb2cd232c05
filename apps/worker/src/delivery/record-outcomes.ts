import type { EmailEvent, EventType } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { EventPublisher, RecipientUpdate, Stores } from '@mailq/store';
import type { RecipientOutcome } from './deliver-group';
import { publishRecipientEvents, type RecipientEvent } from './message-events';

const EVENT_OF = {
  delivered: 'email.delivered',
  bounced: 'email.bounced',
  deferred: 'email.deferred',
  failed: 'email.failed',
} as const satisfies Record<string, EventType>;

/**
 * Writes one transaction's outcomes to the ledger right away (so a crash
 * before the next destination never re-sends to this one), and adds hard
 * bounces to the tenant's suppression list. A deferral past the message's
 * lifetime becomes a failure carrying the last reply. Then publishes, in one
 * go, `email.sent` for the recipients handed to SMTP for the first time
 * (`firstSent`) and each recipient's outcome event.
 */
export async function recordOutcomes(
  stores: Stores,
  publisher: EventPublisher,
  message: EmailJob,
  outcomes: RecipientOutcome[],
  lifetimeOver: boolean,
  at: string,
  firstSent: string[] = [],
): Promise<void> {
  const updates: RecipientUpdate[] = [];
  const events: EmailEvent[] = [];
  for (const o of outcomes) {
    const status = statusOf(o, lifetimeOver);
    const detail = status === 'failed' ? `message lifetime exhausted; last attempt: ${o.detail}` : o.detail;
    updates.push({ address: o.address, status, reply: o.reply });
    events.push({ type: status, at, recipient: o.address, reply: o.reply, detail });
  }
  // The ledger first: once it holds the outcomes, a crash can no longer cause a re-send.
  await stores.messages.update(message.id, updates, events, at, firstSent);
  const hardBounces = outcomes.filter((o) => o.suppress && o.disposition === 'bounced');
  const published: RecipientEvent[] = firstSent.map((recipient) => ({ type: 'email.sent', recipient }));
  for (const o of outcomes) {
    const status = statusOf(o, lifetimeOver);
    published.push({
      type: EVENT_OF[status],
      recipient: o.address,
      reply: o.reply,
      detail: o.detail,
      ...(status === 'bounced'
        ? { bounce_type: o.disposition === 'policy' ? 'policy' : o.suppress ? 'hard' : 'soft' }
        : {}),
    });
  }
  await Promise.all([
    ...hardBounces.map((o) =>
      stores.suppressions.add(message.tenantId, {
        email: o.address,
        reason: 'hard_bounce',
        source: `bounce:${message.id}`,
        detail: o.reply.slice(0, 500),
        created_at: at,
      }),
    ),
    publishRecipientEvents(publisher, message, published),
  ]);
}

/** The recipient status an outcome records (a deferral past the lifetime is a failure). */
export function statusOf(
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
  publisher: EventPublisher,
  message: EmailJob,
  recipients: string[],
  reason: string,
  lifetimeOver: boolean,
  at: string,
): Promise<void> {
  const id = message.id;
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
  const type = lifetimeOver ? 'email.failed' : 'email.deferred';
  await publishRecipientEvents(
    publisher,
    message,
    recipients.map((recipient) => ({ type, recipient, detail })),
  );
}
