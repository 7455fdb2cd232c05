import {
  parseAddressHeader,
  simpleParser,
  type Attachment,
  type HeaderValue,
  type StructuredHeader,
} from 'mailparser';
import { FeedbackFormatError } from '../errors';
import { payloadId } from '../event-fields';
import { parseHeaderSection, type Fields } from './header-fields';

/** A multipart/report (RFC 6522) as received by mail, reduced to what DSN and ARF parsing need. */
export interface MailedReport {
  /** The `report-type` parameter, lower-case; undefined when the message is not a multipart/report. */
  reportType: string | undefined;
  /** The decoded text of the first part with one of these content types. */
  part(...contentTypes: string[]): string | undefined;
  /** The header section of the returned original message, if the report includes it. */
  original: Fields | undefined;
  /** Addresses the report itself was sent to (To, Delivered-To, X-Original-To, …): our VERP address, often. */
  sentTo: string[];
  /** The report's Date header. */
  date: Date | undefined;
  /**
   * The report's own Message-ID, stable when one report is delivered twice
   * (unlike its bytes, which gain Received lines); SHA-256 of the raw report
   * when it has none.
   */
  id: string;
}

// Parts that carry the original message's headers: RFC 6522 §4 allows the
// headers alone or the whole message; RFC 6533 adds the UTF-8 variants.
const ORIGINAL_TYPES = ['text/rfc822-headers', 'message/rfc822', 'message/global-headers', 'message/global'];
const SENT_TO = new Set(['to', 'delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to']);

/**
 * Parses a mailed report with mailparser. Every part stays an attachment:
 * `keepDeliveryStatus` keeps message/delivery-status out of the text body and
 * `ignoreEmbedded` keeps message/rfc822 whole, even when marked inline, so the
 * original's headers can be read from it.
 * @throws FeedbackFormatError when the message cannot be parsed at all
 */
export async function readMailedReport(raw: Buffer | string): Promise<MailedReport> {
  const mail = await simpleParser(raw, {
    keepDeliveryStatus: true,
    ignoreEmbedded: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: false,
  }).catch((cause: unknown) => {
    throw new FeedbackFormatError('report is not a parseable message', { cause });
  });
  const contentType = structured(mail.headers.get('content-type'));
  const reportType =
    contentType?.value.toLowerCase() === 'multipart/report'
      ? contentType.params['report-type']?.trim().toLowerCase()
      : undefined;
  const textOf = (attachment: Attachment | undefined) => attachment?.content.toString('utf8');
  const find = (types: readonly string[]) =>
    mail.attachments.find((a) => types.includes(a.contentType.toLowerCase()));
  const originalText = textOf(find(ORIGINAL_TYPES));

  const sentTo = mail.headerLines
    .filter((h) => SENT_TO.has(h.key))
    .flatMap((h) => addresses(h.line.slice(h.line.indexOf(':') + 1)));

  return {
    reportType,
    part: (...types) => textOf(find(types.map((t) => t.toLowerCase()))),
    original: originalText === undefined ? undefined : parseHeaderSection(originalText),
    sentTo,
    date: mail.date,
    id: mail.messageId ?? payloadId(raw),
  };
}

/** The addresses in an address header value (groups flattened, punycode kept). */
export function addresses(value: string | undefined): string[] {
  if (!value) return [];
  return parseAddressHeader(value, { flatten: true, decodePunycode: false })
    .value.map((entry) => entry.address ?? '')
    .filter(Boolean);
}

function structured(value: HeaderValue | undefined): StructuredHeader | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return undefined;
  if (!('params' in value) || typeof value.value !== 'string' || typeof value.params !== 'object')
    return undefined;
  const params: Record<string, string> = {};
  for (const [name, param] of Object.entries(value.params))
    if (typeof param === 'string') params[name] = param;
  return { value: value.value, params };
}
