/**
 * A server reply reduced to what classification needs: the RFC 5321 basic code, the RFC 3463
 * enhanced status code when the server sent one, and the human text without either.
 */
export interface SmtpReply {
  /** Three-digit basic reply code (RFC 5321 §4.2), absent when the text does not start with one. */
  code?: number;
  /** Enhanced status code `class.subject.detail` (RFC 3463 §2), e.g. `"5.7.1"`. */
  enhanced?: string;
  /** The reply text of every line, codes removed, joined with single spaces. */
  text: string;
}

// RFC 5321 §4.2: Reply-line = Reply-code [ SP / "-" textstring ]. The text is optional, so a
// bare "250" is a valid last line.
const REPLY_LINE = /^([2-5]\d\d)(?:([ -])(.*))?$/;

// RFC 3463 §2: class "." subject "." detail, subject and detail 1–3 digits. RFC 2034 §4 puts it
// first in the text of every line, followed by whitespace.
const ENHANCED_CODE = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)/;
const QMAIL_ENHANCED_CODE = /\(#([245]\.\d{1,3}\.\d{1,3})\)/;

/**
 * Parses a raw SMTP reply — single or multi-line, CRLF or LF separated (nodemailer joins the
 * lines of `err.response` with LF) — into its basic code, enhanced code and text.
 *
 * Pass nodemailer's `response` (or `err.response`), not `err.message`: the message has a
 * prefix such as "Message failed: " and would parse as a reply without a code.
 *
 * @example
 * parseSmtpReply('550-5.1.1 The email account ...\r\n550 5.1.1 ... - gsmtp')
 * // { code: 550, enhanced: '5.1.1', text: 'The email account ... - gsmtp' }
 */
export function parseSmtpReply(text: string): SmtpReply {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

  let code: number | undefined;
  let enhanced: string | undefined;
  const texts: string[] = [];

  for (const [index, line] of lines.entries()) {
    let rest = line;
    const reply = REPLY_LINE.exec(line);
    if (reply) {
      // Every line of a multi-line reply repeats the code (RFC 5321 §4.2.1); the first is the
      // one that counts, continuation lines only contribute text.
      if (index === 0) code = Number(reply[1]);
      rest = (reply[3] ?? '').trim();
    }
    const status = ENHANCED_CODE.exec(rest);
    if (status) {
      enhanced ??= status[1];
      rest = rest.slice(status[0].length);
    }
    if (rest.length > 0) texts.push(rest);
  }

  const joined = texts.join(' ');
  // qmail puts the enhanced code at the end instead: "553 sorry, ... rcpthosts (#5.7.1)".
  enhanced ??= QMAIL_ENHANCED_CODE.exec(joined)?.[1];

  const parsed: SmtpReply = { text: joined };
  if (code !== undefined) parsed.code = code;
  if (enhanced !== undefined) parsed.enhanced = enhanced;
  return parsed;
}
