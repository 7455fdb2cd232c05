import { createHash } from 'node:crypto';
import { bareAddress, isValidAddress } from '@mailq/contracts';
import { MAX_REASON_LENGTH, ourMessageId, type FeedbackEvent } from './feedback-event';

// Helpers every source uses to fill a FeedbackEvent the same way. Internal:
// not exported from the package.

/** The bare, lower-case recipient, or undefined when the text is not one address. */
export function recipientOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const address = bareAddress(text.trim());
  return isValidAddress(address) ? address : undefined;
}

/** Diagnostic text on one line, cut to MAX_REASON_LENGTH. */
export function reasonOf(...parts: (string | number | undefined)[]): string | undefined {
  const text = parts
    .filter((part) => part !== undefined && part !== '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text ? text.slice(0, MAX_REASON_LENGTH) : undefined;
}

// RFC 3463 §2: class "." subject "." detail; subject and detail 1–3 digits.
const ENHANCED_STATUS = /(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])/;

/** The first RFC 3463 enhanced status code in the text (`5.1.1`), if any. */
export function enhancedStatusOf(text: string | undefined): string | undefined {
  const match = text ? ENHANCED_STATUS.exec(text) : null;
  return match ? `${match[1]}.${match[2]}.${match[3]}` : undefined;
}

/** SHA-256 (hex) of a payload, the de-duplication id of payloads that carry none. */
export function payloadId(payload: string | Buffer): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** A Message-ID with its angle brackets (Mailgun, for one, strips them). */
export function bracketed(messageId: string | undefined): string | undefined {
  const inner = messageId?.trim().replace(/^<|>$/g, '');
  return inner ? `<${inner}>` : undefined;
}

/** The Message-ID header (brackets restored) and our id when the header is one of ours. */
export function messageIdFields(header: string | undefined): {
  messageIdHeader?: string;
  messageId?: string;
} {
  const messageIdHeader = bracketed(header);
  if (!messageIdHeader) return {};
  const messageId = ourMessageId(messageIdHeader);
  return messageId ? { messageIdHeader, messageId } : { messageIdHeader };
}

/** ISO time from an ISO/RFC 5322 date string or epoch seconds; the fallback when unparseable. */
export function isoTime(value: string | number | undefined, fallback: Date): string {
  const ms =
    typeof value === 'number' ? value * 1000 : value === undefined ? Number.NaN : Date.parse(value.trim());
  return Number.isFinite(ms) ? new Date(ms).toISOString() : fallback.toISOString();
}

/** The event without its undefined optional fields, so events serialise and compare cleanly. */
export function compact(event: FeedbackEvent): FeedbackEvent {
  const out = { ...event };
  for (const [key, value] of Object.entries(out)) {
    if (value === undefined) Reflect.deleteProperty(out, key);
  }
  return out;
}
