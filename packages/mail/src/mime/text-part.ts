import * as base64 from 'nodemailer/lib/base64';
import MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';

/**
 * A text/plain or text/html body part: its Content-Type and Content-Transfer-Encoding fields
 * and its encoded body, every line ending in CRLF (RFC 5322 §2.3; RFC 2045 §6.7 rule 4 makes
 * QP line breaks CRLF) and at most 76 characters long (RFC 2045 §6.7, §6.8).
 *
 * The transfer encoding is the one nodemailer's composer picks for the same text: 7bit for
 * short-lined ASCII, otherwise quoted-printable for mostly-Latin text and base64 for the rest
 * (QP writes each byte of CJK text as three characters), so a message is no larger on this path than on the composer's.
 */
export function textPart(subtype: 'plain' | 'html', text: string): { headers: string; body: string } {
  const contentType = `text/${subtype}; charset=utf-8`;
  // Bare CR and LF become CRLF here, as nodemailer's SMTP data stream would make them on the wire.
  const crlf = text.replace(/\r\n|\r|\n/g, '\r\n');
  // False only for empty content, which 7bit carries as well. A single part has no boundary: the
  // fixed one only spares the node drawing a random one (a getrandom call per part).
  const encoding =
    new MimeNode(contentType, { baseBoundary: 'unused' }).setContent(crlf).getTransferEncoding() || '7bit';
  const body =
    encoding === 'quoted-printable'
      ? qp.wrap(qp.encode(crlf), 76)
      : encoding === 'base64'
        ? base64.wrap(base64.encode(crlf), 76)
        : crlf;
  return {
    headers: `Content-Type: ${contentType}\r\nContent-Transfer-Encoding: ${encoding}\r\n`,
    body,
  };
}
