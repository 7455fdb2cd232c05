import { simpleParser, type ParsedMail } from 'mailparser';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

/** One message the SMTP sink accepted. */
export interface ReceivedMessage {
  /** SMTP envelope as sent by the client (not the From/To headers). */
  envelope: { mailFrom: string; rcptTo: string[] };
  /** The name the client gave in EHLO/HELO: which sender delivered it (e.g. one worker of a fleet). */
  clientName?: string;
  /** Exact bytes received after DATA, dot-unstuffed. */
  raw: Buffer;
  parsed: ParsedMail;
  /** Message-ID header, if the message had one. */
  messageId?: string;
  receivedAt: Date;
}

/** Parses the raw DATA bytes into a {@link ReceivedMessage}. */
export async function toReceivedMessage(
  raw: Buffer,
  envelope: ReceivedMessage['envelope'],
  clientName?: string,
): Promise<ReceivedMessage> {
  const parsed = await simpleParser(raw);
  return {
    envelope,
    ...(clientName ? { clientName } : {}),
    raw,
    parsed,
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    receivedAt: new Date(),
  };
}

/** Buffers a DATA stream completely. */
export function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/** The envelope of the current transaction, as plain addresses. */
export function envelopeOf(session: SMTPServerSession): ReceivedMessage['envelope'] {
  const { mailFrom, rcptTo } = session.envelope;
  return { mailFrom: mailFrom ? mailFrom.address : '', rcptTo: rcptTo.map((rcpt) => rcpt.address) };
}
