import type { Suppression } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { EventPublisher, Stores } from '@mailq/store';
import { publishRecipientEvents } from './message-events';

/**
 * Removes suppressed recipients from a send and records them as `suppressed`
 * (DESIGN §5: later sends to a hard-bounced or complaining address are not
 * attempted). `listed` is what the tenant's suppression list holds for the
 * message's recipients (looked up side by side with the ledger). Returns the
 * recipients still to send to.
 */
export async function dropSuppressed(
  stores: Stores,
  publisher: EventPublisher,
  message: EmailJob,
  recipients: string[],
  listed: Map<string, Suppression>,
  at: string,
): Promise<string[]> {
  const entries = recipients.flatMap((address) => listed.get(address) ?? []);
  if (entries.length === 0) return recipients;
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
  return recipients.filter((address) => !listed.has(address));
}
