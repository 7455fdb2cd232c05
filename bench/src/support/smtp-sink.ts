import { SMTPServer } from 'smtp-server';
import type { Role } from './role';
import { nowMs } from './clock';

export interface SinkInfo {
  port: number;
  url: string;
}

/** What the sink saw: arrival times (ms, see clock.ts) in order, and message ids when tracked. */
export interface SinkArrivals {
  times: number[];
  /** Message-ID local parts (`<id@domain>` → id), in arrival order; empty unless tracking. */
  ids: string[];
}

const MESSAGE_ID = /^message-id:\s*<([^@>\s]+)@/im;

/**
 * The receiving MTA of every end-to-end stack: a real smtp-server on loopback
 * that answers 250 to everything and keeps only an arrival time per message
 * (and, when tracking, its Message-ID) — unlike @mailq/testing's sink, it does
 * not parse messages, so it is never the bottleneck of the stacks it serves.
 */
export async function start(): Promise<Role<SinkInfo>> {
  let times: number[] = [];
  let ids: string[] = [];
  let track = false;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    // Stock nodemailer pools open up to 5 connections each; many stacks at once are fine.
    maxClients: 1000,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (track && head.length < 8192) head += chunk.toString('latin1');
      });
      stream.once('end', () => {
        times.push(nowMs());
        if (track) ids.push(MESSAGE_ID.exec(head)?.[1] ?? '');
        callback(null, 'OK: queued by bench sink');
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('sink: no TCP address');
  return {
    info: { port: address.port, url: `smtp://127.0.0.1:${address.port}` },
    methods: {
      count: () => times.length,
      /** Forgets everything received; `track` also records Message-IDs from now on. */
      clear: (args: { track?: boolean } | undefined) => {
        times = [];
        ids = [];
        track = args?.track ?? false;
      },
      arrivals: (): SinkArrivals => ({ times, ids }),
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
