import { bareAddress, type SendEmailRequest } from '@mailq/contracts';
import { buildMimeMessage } from '@mailq/mail';
import type { EmailJob } from '@mailq/queues';
import type Mail from 'nodemailer/lib/mailer';

/**
 * The nodemailer message for one attempt. The Message-ID and Date are the ones
 * fixed at acceptance, so every attempt sends the same message; the envelope
 * names only the recipients still pending (the ledger), while the To and Cc
 * headers always show the original lists. Bcc never appears in a header.
 *
 * Messages without attachments are built here (`buildMimeMessage`) and handed
 * over as `raw`, which nodemailer sends as it is — DKIM-signing it when `dkim`
 * is set — instead of composing it again, the largest CPU cost of a delivery.
 * Messages with attachments go through nodemailer's composer.
 */
export function composeMessage(
  job: EmailJob,
  pendingRecipients: string[],
  dkim?: Mail.Options['dkim'],
  returnPath?: string,
): Mail.Options {
  const email: SendEmailRequest = job.email;
  const fixed = { messageId: job.messageIdHeader, date: new Date(job.acceptedAt) };
  // With a VERP return path, bounces name the message they are about (RFC 5321 §4.5.5 sends them to MAIL FROM).
  const envelope = { from: returnPath ?? bareAddress(email.from), to: pendingRecipients };
  const raw = buildMimeMessage({
    from: email.from,
    to: email.to,
    cc: email.cc,
    replyTo: email.reply_to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    headers: email.headers,
    attachments: email.attachments,
    ...fixed,
  });
  // The Message-ID is already in `raw`; naming it here too only stops nodemailer drawing a random
  // one for its own bookkeeping (five getrandom calls per message).
  if (raw) return { envelope, raw, messageId: job.messageIdHeader, ...(dkim ? { dkim } : {}) };
  return { ...composerFields(email), ...fixed, envelope, ...(dkim ? { dkim } : {}) };
}

/** The message as fields for nodemailer's composer. */
function composerFields(email: SendEmailRequest): Mail.Options {
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
  };
}
