import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerEnvelope,
  type SMTPServerError,
} from 'smtp-server';
import { envelopeHeaders } from './envelope-headers';

/** A running capture server; `close()` stops listening and releases the port. */
export interface CaptureServer {
  port: number;
  /** `smtp://HOST:PORT`, ready to be used as the relay's upstream. */
  url: string;
  close(): Promise<void>;
}

/** The SIZE limit advertised to clients; a message above it is answered 552 and not stored. */
const MAX_MESSAGE_BYTES = 30 * 1024 * 1024;

/**
 * Starts the dev-mode "catch-all" SMTP server: it accepts every message from
 * any client (AUTH optional, any credentials accepted, no STARTTLS) and writes
 * each one to `<dir>/<timestamp>-<hex>.eml` with the SMTP envelope prepended as
 * `X-Mailq-Envelope-From` / `X-Mailq-Envelope-To` header lines. A message is
 * answered 250 only once its file is in place, 451 if it could not be written.
 *
 * @param options.dir Directory for the `.eml` files, created if missing.
 * @param options.port Port to listen on; 0 or omitted lets the OS pick a free one.
 * @param options.host Interface to bind, `127.0.0.1` by default (loopback only).
 */
export async function startCaptureServer(options: {
  dir: string;
  port?: number;
  host?: string;
}): Promise<CaptureServer> {
  const { dir } = options;
  const host = options.host ?? '127.0.0.1';
  await mkdir(dir, { recursive: true });

  const server = new SMTPServer({
    authOptional: true,
    // Without TLS the server only offers AUTH when insecure auth is allowed; apps
    // configured with SMTP credentials must still be able to send in dev mode.
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'XOAUTH2'],
    // No STARTTLS: it would only offer smtp-server's built-in, publicly known certificate.
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    disableReverseLookup: true,
    banner: 'mailq dev capture server',
    logger: false,
    // Pooled clients keep connections open; `mailq dev` must shut down promptly anyway.
    closeTimeout: 1_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'dev' });
    },
    onData(stream, session, callback) {
      storeMessage(dir, stream, session.envelope).then(
        (file) => callback(null, `OK: captured as ${file}`),
        (error: SMTPServerError) => {
          error.responseCode ??= 451;
          callback(error);
        },
      );
    },
  });
  // Clients that hang up mid-session surface here; an unhandled 'error' event would crash `mailq dev`.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') console.warn('[capture]', error.message);
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('capture server: no TCP address');

  let closed: Promise<void> | undefined;
  return {
    port: address.port,
    url: `smtp://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    close() {
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}

/** Reads one DATA stream and stores it atomically; resolves with the file name once renamed into place. */
async function storeMessage(dir: string, stream: SMTPServerDataStream, envelope: SMTPServerEnvelope) {
  // Buffered rather than streamed to disk: the size cap bounds memory, and a write
  // error then can never leave the SMTP data stream half-consumed.
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total <= MAX_MESSAGE_BYTES) chunks.push(chunk);
  }
  if (stream.sizeExceeded || total > MAX_MESSAGE_BYTES) {
    throw Object.assign(new Error('Message exceeds fixed maximum message size'), { responseCode: 552 });
  }

  // The ISO timestamp prefix makes names sort chronologically; the random suffix keeps
  // messages of the same millisecond apart. Colons are not allowed in Windows file names.
  const file = `${new Date().toISOString().replace(/:/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
  const finalPath = join(dir, file);
  const tmpPath = `${finalPath}.tmp`;
  try {
    // flush: the file must be durable before the client is told 250 and forgets the message.
    await writeFile(tmpPath, Buffer.concat([envelopeHeaders(envelope), ...chunks]), {
      flag: 'wx',
      flush: true,
    });
    // rename() is atomic within a directory, so readers never see a partly written .eml.
    await rename(tmpPath, finalPath);
  } catch (error) {
    await rm(tmpPath, { force: true }).catch(() => undefined);
    throw error;
  }
  return file;
}
