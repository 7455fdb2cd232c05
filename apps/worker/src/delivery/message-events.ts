import { domainOf, type EventType } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { EventPublisher } from '@mailq/store';

/** One recipient's event: its type, the recipient, and what is specific to the event. */
export type RecipientEvent = { type: EventType; recipient: string } & Record<string, unknown>;

/**
 * Publishes events about a message being delivered, one per recipient and
 * type, all in one go (one script call, one addBulk): the data every email.*
 * webhook carries (the message id, the recipient and the message's
 * identifying fields), plus what is specific to the event.
 */
export async function publishRecipientEvents(
  publisher: EventPublisher,
  job: EmailJob,
  entries: RecipientEvent[],
): Promise<void> {
  if (entries.length === 0) return;
  const context = { domain: domainOf(job.email.from), ...(job.email.tags ? { tags: job.email.tags } : {}) };
  await publisher.publishAll(
    job.tenantId,
    entries.map(({ type, recipient, ...extra }) => ({
      type,
      data: {
        email_id: job.id,
        message_id: job.messageIdHeader,
        recipient,
        from: job.email.from,
        subject: job.email.subject,
        tags: job.email.tags ?? [],
        metadata: job.email.metadata ?? {},
        ...extra,
      },
    })),
    context,
  );
}
