import { SMTPServer } from 'smtp-server';
import { envelopeOf, readAll, toReceivedMessage, type ReceivedMessage } from './received-message';
import { ReplyProgram, SmtpReplyError, type SmtpReply, type SmtpReplyFn, type SmtpStage } from './smtp-reply';
import { waitUntil } from './wait-until';

/** Counters since start (or the last clear()). */
export interface SmtpSinkStats {
  connections: number;
  rcptAttempts: number;
  dataAttempts: number;
  /** Messages stored (DATA answered 250). */
  accepted: number;
  /** RCPT and DATA commands answered with a programmed 4xx/5xx. */
  rejections: number;
}

/** A real SMTP server on 127.0.0.1 that records what it receives. */
export interface SmtpSink {
  readonly port: number;
  /** `smtp://127.0.0.1:PORT` */
  readonly url: string;
  /** Accepted messages in arrival order (cleared in place by clear()). */
  readonly messages: ReceivedMessage[];
  readonly stats: SmtpSinkStats;
  /** Programs RCPT/DATA replies; undefined (or returning undefined) means accept. */
  replyWith(fn: SmtpReplyFn | undefined): void;
  /** Answers the next `times` commands of `stage` with `reply`, before replyWith() applies. */
  failNext(stage: SmtpStage, reply: SmtpReply, times?: number): void;
  /**
   * What the next `times` DATA commands do after the final dot: `stall` stores
   * the message but never answers (the client times out not knowing whether it
   * was delivered), `drop` closes the connection without storing it.
   */
  afterData(behaviour: 'stall' | 'drop', times?: number): void;
  /** Resolves once at least `count` messages are stored. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Forgets messages, stats, attempt counters and programmed replies. */
  clear(): void;
  /** Stops listening; open client connections get 421 after a short grace period. */
  close(): Promise<void>;
}

const emptyStats = (): SmtpSinkStats => ({
  connections: 0,
  rcptAttempts: 0,
  dataAttempts: 0,
  accepted: 0,
  rejections: 0,
});

/**
 * Starts a real SMTP server (smtp-server) on 127.0.0.1 that plays the receiving
 * MTA in tests: no TLS, AUTH optional and always successful, every accepted
 * message stored and parsed, RCPT/DATA replies programmable to simulate
 * greylisting (4xx) or hard bounces (5xx). Always `close()` it in afterAll.
 */
export async function startSmtpSink(options: { port?: number } = {}): Promise<SmtpSink> {
  const messages: ReceivedMessage[] = [];
  const program = new ReplyProgram();
  let stats = emptyStats();
  const dataFaults: Array<'stall' | 'drop'> = [];

  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Pooled clients (nodemailer, the relay) keep connections open; do not let
    // close() wait the default 30 s for them.
    closeTimeout: 500,
    onConnect(_session, callback) {
      stats.connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onRcptTo(address, _session, callback) {
      stats.rcptAttempts++;
      const reply = program.decide('rcpt', address.address);
      if (reply && reply.code >= 400) {
        stats.rejections++;
        return callback(new SmtpReplyError(reply));
      }
      callback();
    },
    onData(stream, session, callback) {
      stats.dataAttempts++;
      const reply = program.decide('data');
      const fault = dataFaults.shift();
      // The whole message must be read even when rejecting, or the connection stalls.
      readAll(stream)
        .then(async (raw) => {
          if (fault === 'stall') {
            messages.push(await toReceivedMessage(raw, envelopeOf(session), session.hostNameAppearsAs));
            return; // never answer: the client's socket timeout decides
          }
          if (fault === 'drop') return dropConnection(server, session.id);
          if (reply && reply.code >= 400) {
            stats.rejections++;
            return callback(new SmtpReplyError(reply));
          }
          messages.push(await toReceivedMessage(raw, envelopeOf(session), session.hostNameAppearsAs));
          stats.accepted++;
          callback(null, reply?.message ?? 'OK: message stored by sink');
        })
        .catch((error: Error) => callback(new SmtpReplyError({ code: 451, message: error.message })));
    },
  });
  // Clients dropping connections surface here; without a listener they would crash the test.
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') console.warn('[smtp-sink]', error.message);
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    // Port 0 lets the OS pick, with no window for another process to take it.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('smtp sink: no TCP address');

  let closed: Promise<void> | undefined;
  return {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    get stats() {
      return stats;
    },
    replyWith: (fn) => program.replyWith(fn),
    afterData(behaviour, times = 1) {
      for (let i = 0; i < times; i++) dataFaults.push(behaviour);
    },
    failNext: (stage, reply, times = 1) => program.failNext(stage, reply, times),
    async waitFor(count, timeoutMs = 15_000) {
      try {
        await waitUntil(() => messages.length >= count, { timeoutMs, intervalMs: 20 });
      } catch {
        throw new Error(
          `smtp sink: expected ${count} message(s) within ${timeoutMs} ms, ${messages.length} arrived`,
        );
      }
      return [...messages];
    },
    clear() {
      messages.length = 0;
      dataFaults.length = 0;
      stats = emptyStats();
      program.reset();
    },
    close() {
      closed ??= new Promise((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}

// smtp-server keeps its open connections in a Set that is not part of its
// typed API; reaching for it is acceptable in a test harness that has to
// simulate a receiver vanishing mid-transaction.
function dropConnection(server: SMTPServer, sessionId: string): void {
  const connections = (
    server as unknown as { connections: Set<{ id: string; _socket?: { destroy(): void } }> }
  ).connections;
  for (const connection of connections) if (connection.id === sessionId) connection._socket?.destroy();
}
