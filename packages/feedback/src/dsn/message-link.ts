import { messageIdFields } from '../event-fields';
import { parseVerp } from '../verp';

/** Options shared by {@link parseDsn} and {@link parseArf}. */
export interface MailedReportOptions {
  /**
   * The SMTP envelope recipient (RCPT TO) the report was delivered to. Our
   * VERP address when the report answers our return path; the most reliable
   * link when the report quotes nothing of the original message.
   */
  envelopeTo?: string;
  /** The time used when the report carries no usable date. */
  now?: () => Date;
}

/**
 * Links a report to our message: the original Message-ID when it is one of
 * ours, else the first VERP address among the return-path candidates (the
 * envelope recipient, the report's To/Delivered-To, the original Return-Path, …).
 */
export function messageLink(
  messageIdHeader: string | undefined,
  returnPaths: readonly (string | undefined)[],
): { messageIdHeader?: string; messageId?: string } {
  const fields = messageIdFields(messageIdHeader);
  if (fields.messageId) return fields;
  for (const candidate of returnPaths) {
    const messageId = candidate ? parseVerp(candidate) : undefined;
    if (messageId) return { ...fields, messageId };
  }
  return fields;
}
