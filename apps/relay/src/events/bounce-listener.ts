import { ApiError } from '@mailq/contracts';
import { SMTPServer } from 'smtp-server';
import type { FeedbackService } from './feedback-service';

export interface BounceListener {
  port: number;
  close(): Promise<void>;
}

/** Largest report accepted; DSNs carry at most the original headers or a truncated copy. */
const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/**
 * The SMTP listener for the return-path domain: remote MTAs deliver DSNs
 * (RFC 3464) and ARF complaints (RFC 5965) here, to the VERP address that
 * names the message. A report is answered 250 only once its events are
 * queued; our own storage trouble answers 451 so the sender retries. A report
 * we cannot parse is accepted and dropped, never rejected with 5xx — that
 * would bounce a bounce to a postmaster (RFC 3464 §2 sends DSNs with a null
 * sender precisely so they never loop).
 */
export async function startBounceListener(
  feedback: Pick<FeedbackService, 'report'>,
  options: { port: number; host?: string },
): Promise<BounceListener> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_REPORT_BYTES,
    logger: false,
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeTo = session.envelope.rcptTo[0]?.address;
        feedback
          .report(raw, envelopeTo)
          .then(() => callback(null, 'report accepted'))
          .catch((error: unknown) => {
            if (error instanceof ApiError && error.code === 'storage_unavailable') {
              callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
            } else {
              callback(null, 'report ignored: not a report we could read');
            }
          });
      });
    },
  });
  server.on('error', () => undefined); // dropped client connections are not our problem
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
