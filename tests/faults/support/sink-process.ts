import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { prioritise } from './priority';

/** One message stored by the sink: its Message-ID header, who sent it (EHLO name) and when it was stored. */
export interface Arrival {
  messageId: string | undefined;
  client: string | undefined;
  at: number;
}

/** The SMTP sink running in a process of its own. */
export interface SinkProcess {
  readonly url: string;
  /** Every arrival so far, in order (reported every 20 ms). */
  readonly arrivals: Arrival[];
  close(): Promise<void>;
}

type ChildMessage = { type: 'ready'; port: number } | { type: 'arrivals'; arrivals: Arrival[] };

const CHILD = fileURLToPath(new URL('./sink-child.ts', import.meta.url));

/**
 * Starts the harness's SMTP sink (`startSmtpSink`) in a child process. In the
 * test's own process its replies would wait behind the ingest and the load
 * generator; a real receiving MTA answers from another machine, and the delay
 * between the final dot and the 250 decides how many messages a killed worker
 * had sent without recording it (RFC 5321 §6.1: those are sent again).
 */
export async function startSinkProcess(): Promise<SinkProcess> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The receiver does not share the workers' CPU in production.
  prioritise(child.pid);
  const arrivals: Arrival[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message.port);
      else arrivals.push(...message.arrivals);
    });
    void exited.then(() => reject(new Error(`smtp sink process exited:\n${output}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    async close() {
      if (child.connected) child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
