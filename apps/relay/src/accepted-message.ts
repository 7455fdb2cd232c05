import { allRecipients, bareAddress, domainOf, type SendEmailRequest } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type { NewMessage } from '@mailq/store';

/**
 * Everything fixed at acceptance: the id (also the job id) and the RFC 5322
 * Message-ID, which every later attempt reuses so receivers can de-duplicate.
 */
export interface AcceptedMessage {
  record: NewMessage;
  job: EmailJob;
}

export function acceptMessage(
  tenantId: string,
  id: string,
  email: SendEmailRequest,
  now: Date,
): AcceptedMessage {
  const acceptedAt = now.toISOString();
  // RFC 5322 §3.6.4: id-left "@" id-right, unique; the sender's domain on the right.
  const messageIdHeader = `<${id}@${domainOf(email.from)}>`;
  const recipients = [...new Set(allRecipients(email).map(bareAddress))];
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
    },
    job: { tenantId, id, messageIdHeader, acceptedAt, email },
  };
}
