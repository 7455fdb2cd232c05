import { domainOf, type EventType } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { EventPublisher } from '@mailq/store';

/**
 * Publishes one event per recipient about a message being delivered: the data
 * every email.* webhook carries (the message id, the recipient and the
 * message's identifying fields), plus what is specific to the event.
 */
export async function publishRecipientEvents(
  publisher: EventPublisher,
  job: EmailJob,
  type: EventType,
  entries: Array<{ recipient: string } & Record<string, unknown>>,
): Promise<void> {
  const context = { domain: domainOf(job.email.from), ...(job.email.tags ? { tags: job.email.tags } : {}) };
  await Promise.all(
    entries.map(({ recipient, ...extra }) =>
      publisher.publish(
        job.tenantId,
        type,
        {
          email_id: job.id,
          message_id: job.messageIdHeader,
          recipient,
          from: job.email.from,
          subject: job.email.subject,
          tags: job.email.tags ?? [],
          metadata: job.email.metadata ?? {},
          ...extra,
        },
        context,
      ),
    ),
  );
}
