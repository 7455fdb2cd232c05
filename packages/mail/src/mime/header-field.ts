import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';

type HeaderValue = Parameters<MimeNode['encodeHeaderValue']>[1];

// nodemailer's own header encoder: addresses punycoded with RFC 2047 display names, msg-ids
// bracketed, dates formatted, other text as encoded-words when it is not plain ASCII. The
// method keeps nothing between calls, so one node serves every message (the static
// MimeNode.encodeHeaderValue builds a node, with its random boundary, per call).
const encoder = new MimeNode(false);

// RFC 5322 §3.6.8 field-name: printable US-ASCII except colon.
const FIELD_NAME = /^[!-9;-~]+$/;

/**
 * One header field as nodemailer's composer writes it: the value encoded, the line folded at
 * 76 characters (RFC 5322 §2.1.1 recommends 78), ending in CRLF. A value that encodes to
 * nothing is left out, as the composer does; the name is written as given (field names are
 * case-insensitive, RFC 5322 §1.2.2). A name that is not a field-name would end the field
 * early on the wire (header injection, CWE-93), so it is refused with a TypeError.
 */
export function headerField(name: string, value: HeaderValue): string {
  if (!FIELD_NAME.test(name)) throw new TypeError(`not a header field name: ${JSON.stringify(name)}`);
  const encoded = encoder.encodeHeaderValue(name, value);
  return encoded.trim() ? `${foldLines(`${name}: ${encoded}`, 76)}\r\n` : '';
}
