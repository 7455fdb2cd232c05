import type { EmailJob } from '@mailq/queues';
import type { EventPublisher, Stores } from '@mailq/store';
import { publishRecipientEvents } from './message-events';

/**
 * Removes suppressed recipients from a send and records them as `suppressed`
 * (DESIGN §5: later sends to a hard-bounced or complaining address are not
 * attempted). Returns the recipients still to send to.
 */
export async function dropSuppressed(
  stores: Stores,
  publisher: EventPublisher,
  message: EmailJob,
  recipients: string[],
  at: string,
): Promise<string[]> {
  const suppressed = await stores.suppressions.find(message.tenantId, recipients);
  if (suppressed.size === 0) return recipients;
  const entries = [...suppressed.values()];
  await stores.messages.update(
    message.id,
    entries.map((s) => ({ address: s.email, status: 'suppressed', reply: `suppressed: ${s.reason}` })),
    entries.map((s) => ({
      type: 'suppressed',
      at,
      recipient: s.email,
      detail: `on the suppression list (${s.reason}, ${s.source})`,
    })),
    at,
  );
  await publishRecipientEvents(
    publisher,
    message,
    entries.map((s) => ({ type: 'email.suppressed', recipient: s.email, reason: s.reason })),
  );
  return recipients.filter((address) => !suppressed.has(address));
}
