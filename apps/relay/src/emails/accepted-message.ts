import { allRecipients, bareAddress, domainOf, type RenderedEmail } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { NewMessage } from '@mailq/store';

/**
 * Everything fixed at acceptance: the id (also the job id), the RFC 5322
 * Message-ID that every attempt reuses so receivers can de-duplicate, and the
 * delay of a scheduled message.
 */
export interface AcceptedMessage {
  record: NewMessage;
  job: EmailJob;
  delayMs: number;
}

/**
 * `now` is the time of acceptance; `clock` the time the job is written, which a request resumed
 * after a storage failure (see withIdempotency) writes later: a scheduled message's delay runs from it.
 */
export function acceptMessage(
  tenantId: string,
  id: string,
  email: RenderedEmail,
  now: Date,
  clock: Date = now,
): AcceptedMessage {
  const acceptedAt = now.toISOString();
  // RFC 5322 §3.6.4: id-left "@" id-right, unique; the sender's domain on the right.
  const messageIdHeader = `<${id}@${domainOf(email.from)}>`;
  const recipients = [...new Set(allRecipients(email).map(bareAddress))];
  const delayMs = email.scheduled_at ? Math.max(0, Date.parse(email.scheduled_at) - clock.getTime()) : 0;
  const scheduledAt =
    delayMs > 0 && email.scheduled_at ? new Date(email.scheduled_at).toISOString() : undefined;
  return {
    record: {
      id,
      tenantId,
      from: email.from,
      subject: email.subject,
      messageIdHeader,
      createdAt: acceptedAt,
      recipients,
      tags: email.tags ?? [],
      metadata: email.metadata ?? {},
      ...(scheduledAt ? { scheduledAt } : {}),
    },
    job: { tenantId, id, messageIdHeader, acceptedAt, email },
    delayMs,
  };
}
