import { compact, reasonOf, recipientOf } from '../event-fields';
import type { FeedbackEvent } from '../feedback-event';
import { fieldOf, parseFieldBlocks } from './header-fields';
import { addresses, readMailedReport } from './mailed-report';
import { messageLink, type MailedReportOptions } from './message-link';

/**
 * The complaints in an RFC 5965 ARF report (multipart/report;
 * report-type=feedback-report) with `Feedback-Type: abuse`, one per complaining
 * recipient. Other feedback types (fraud, virus, not-spam, auth-failure, other)
 * are not a recipient's complaint about our mail and yield [], as does any
 * message that is not an ARF report.
 *
 * The recipient is `Original-Rcpt-To`, else the original message's To (or
 * Outlook.com's X-HmXmrOriginalRecipient). Many feedback loops redact it; when
 * no address survives but the message is linked to ours (Message-ID or VERP
 * `Original-Mail-From`), one event with `recipient: ''` is returned so the
 * complaint is not lost: resolve the recipients from `messageId`.
 * @throws FeedbackFormatError when the raw message cannot be parsed at all
 */
export async function parseArf(
  raw: Buffer | string,
  options: MailedReportOptions = {},
): Promise<FeedbackEvent[]> {
  const report = await readMailedReport(raw);
  if (report.reportType !== 'feedback-report') return [];
  const text = report.part('message/feedback-report');
  const fields = text === undefined ? undefined : parseFieldBlocks(text)[0];
  if (fieldOf(fields, 'feedback-type')?.toLowerCase() !== 'abuse') return [];

  const original = report.original;
  const link = messageLink(fieldOf(original, 'message-id'), [
    options.envelopeTo,
    fieldOf(fields, 'original-mail-from'),
    fieldOf(original, 'return-path'),
    ...report.sentTo,
  ]);
  const reported = (fields?.get('original-rcpt-to') ?? []).flatMap((value) => recipientOf(value) ?? []);
  const quoted = [
    ...addresses(fieldOf(original, 'x-hmxmroriginalrecipient')),
    ...(original?.get('to') ?? []).flatMap((value) => addresses(value)),
  ].flatMap((value) => recipientOf(value) ?? []);
  const recipients = [...new Set(reported.length > 0 ? reported : quoted)];
  if (recipients.length === 0 && !link.messageId) return [];

  const event = (recipient: string): FeedbackEvent =>
    compact({
      provider: 'arf',
      providerEventId: `${report.id}:${recipient}`,
      type: 'complained',
      recipient,
      ...link,
      // The report's own Date is when it was made, i.e. when the user complained;
      // Arrival-Date is when our message arrived, days earlier perhaps.
      occurredAt: (report.date ?? options.now?.() ?? new Date()).toISOString(),
      reason: reasonOf(fieldOf(fields, 'feedback-type')),
      userAgent: fieldOf(fields, 'user-agent'),
    });
  return recipients.length > 0 ? recipients.map(event) : [event('')];
}
