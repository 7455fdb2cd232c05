import { compact, enhancedStatusOf, isoTime, reasonOf, recipientOf } from '../event-fields';
import type { FeedbackEvent } from '../feedback-event';
import { fieldOf, parseFieldBlocks, typedAddress, type Fields } from './header-fields';
import { readMailedReport } from './mailed-report';
import { messageLink, type MailedReportOptions } from './message-link';

/**
 * The feedback events in an RFC 3464 delivery status notification
 * (multipart/report; report-type=delivery-status, or RFC 6533's
 * global-delivery-status), one per reported recipient. Anything else — a
 * plain message, an MDN, a bounce that is not a DSN — yields [].
 *
 * Per recipient (`Original-Recipient`, the address we sent to, else
 * `Final-Recipient`):
 * - `Action: failed` → bounced; the `Status` class decides: 5.x.x hard,
 *   4.x.x soft (a final failure of a transient condition, e.g. expired in the
 *   queue). Without a Status the diagnostic's code decides, and without
 *   either it is soft: we suppress an address only on evidence.
 * - `Action: delivered` / `expanded` → delivered.
 * - `Action: delayed` → ignored: the reporting MTA still holds the message and
 *   will report again when it delivers or gives up; a soft bounce now would
 *   mark as bounced mail that may yet arrive. `relayed` is ignored too (the
 *   message left DSN-aware mail; nothing final is known).
 *
 * Linked to our message by the original's Message-ID (text/rfc822-headers or
 * message/rfc822 part, or Gmail's X-Original-Message-ID) or a VERP address.
 * @throws FeedbackFormatError when the raw message cannot be parsed at all
 */
export async function parseDsn(
  raw: Buffer | string,
  options: MailedReportOptions = {},
): Promise<FeedbackEvent[]> {
  const report = await readMailedReport(raw);
  if (report.reportType !== 'delivery-status' && report.reportType !== 'global-delivery-status') return [];
  const text = report.part('message/delivery-status', 'message/global-delivery-status');
  if (text === undefined) return [];
  const blocks = parseFieldBlocks(text);
  const isRecipient = (block: Fields) => block.has('final-recipient') || block.has('original-recipient');
  const perMessage = blocks.find((block) => !isRecipient(block));
  const link = messageLink(
    fieldOf(report.original, 'message-id') ?? fieldOf(perMessage, 'x-original-message-id'),
    [
      options.envelopeTo,
      ...report.sentTo,
      typedAddress(fieldOf(perMessage, 'x-postfix-sender')), // Postfix names the original envelope sender
      fieldOf(report.original, 'return-path'),
    ],
  );
  const fallback = report.date ?? options.now?.() ?? new Date();

  return blocks.filter(isRecipient).flatMap((block): FeedbackEvent[] => {
    const recipient =
      recipientOf(typedAddress(fieldOf(block, 'original-recipient'))) ??
      recipientOf(typedAddress(fieldOf(block, 'final-recipient')));
    if (!recipient) return [];
    const diagnostic = fieldOf(block, 'diagnostic-code');
    const status = enhancedStatusOf(fieldOf(block, 'status')) ?? enhancedStatusOf(diagnostic);
    const common = {
      provider: 'dsn',
      providerEventId: `${report.id}:${recipient}`,
      recipient,
      ...link,
      occurredAt: isoTime(fieldOf(block, 'last-attempt-date'), fallback),
      reason: reasonOf(diagnostic),
      status,
    } as const;
    switch (fieldOf(block, 'action')?.toLowerCase()) {
      case 'failed': {
        const replyCode = /(?:^|;)\s*([45])\d\d[\s-]/.exec(diagnostic ?? '')?.[1];
        const bounceType = (status?.[0] ?? replyCode) === '5' ? 'hard' : 'soft';
        return [compact({ ...common, type: 'bounced', bounceType })];
      }
      case 'delivered':
      case 'expanded':
        return [compact({ ...common, type: 'delivered' })];
      default:
        return [];
    }
  });
}
