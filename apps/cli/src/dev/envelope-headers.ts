import type { SMTPServerEnvelope } from 'smtp-server';

/**
 * The envelope as header lines, so Bcc recipients (absent from the message's own
 * headers) are visible. Addresses come from single SMTP command lines, but CR/LF
 * are stripped anyway so they can never inject further headers.
 */
export function envelopeHeaders(envelope: SMTPServerEnvelope): Buffer {
  const clean = (address: string) => address.replace(/[\r\n]/g, '');
  const from = envelope.mailFrom ? clean(envelope.mailFrom.address) || '<>' : '<>';
  const to = envelope.rcptTo.map((rcpt) => clean(rcpt.address));
  return Buffer.from(
    `X-Mailq-Envelope-From: ${from}\r\n${foldHeader('X-Mailq-Envelope-To', to)}\r\n`,
    'utf8',
  );
}

/** Joins addresses with commas, folding onto continuation lines to stay near RFC 5322's 78 columns. */
function foldHeader(name: string, values: string[]): string {
  let header = `${name}:`;
  let lineLength = header.length;
  values.forEach((value, index) => {
    const piece = `${value}${index < values.length - 1 ? ',' : ''}`;
    if (index > 0 && lineLength + 1 + piece.length > 78) {
      header += `\r\n ${piece}`;
      lineLength = 1 + piece.length;
    } else {
      header += ` ${piece}`;
      lineLength += 1 + piece.length;
    }
  });
  return header;
}
