import { bareAddress, type SendEmailRequest } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import type Mail from 'nodemailer/lib/mailer';

/**
 * The nodemailer message for one attempt. The Message-ID and Date are the ones
 * fixed at acceptance, so every attempt sends the same message; the envelope
 * names only the recipients still pending (the ledger), while the To and Cc
 * headers always show the original lists. Bcc never appears in a header.
 */
export function composeMessage(
  job: EmailJob,
  pendingRecipients: string[],
  dkim?: Mail.Options['dkim'],
  returnPath?: string,
): Mail.Options {
  const email: SendEmailRequest = job.email;
  return {
    from: email.from,
    to: email.to,
    ...(email.cc ? { cc: email.cc } : {}),
    ...(email.reply_to ? { replyTo: email.reply_to } : {}),
    subject: email.subject,
    ...(email.text !== undefined ? { text: email.text } : {}),
    ...(email.html !== undefined ? { html: email.html } : {}),
    headers: email.headers ?? {},
    attachments: (email.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: a.content,
      encoding: 'base64',
      ...(a.content_type ? { contentType: a.content_type } : {}),
      // An attachment with a Content-ID is inline: the HTML refers to it as cid:<id> (RFC 2392).
      ...(a.content_id ? { cid: a.content_id, contentDisposition: 'inline' as const } : {}),
    })),
    messageId: job.messageIdHeader,
    date: new Date(job.acceptedAt),
    // With a VERP return path, bounces name the message they are about (RFC 5321 §4.5.5 sends them to MAIL FROM).
    envelope: { from: returnPath ?? bareAddress(email.from), to: pendingRecipients },
    ...(dkim ? { dkim } : {}),
  };
}
