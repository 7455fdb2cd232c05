import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAILQ = fileURLToPath(new URL('../../apps/cli/bin/mailq.js', import.meta.url));

export interface MailqProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Sends `signal` (default SIGINT, Ctrl-C) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs a long-lived `mailq <command>` as its own process, as a user or an
 * orchestrator would, and resolves once its output contains `readyText`.
 */
export async function startMailq(
  command: string,
  env: Record<string, string>,
  readyText: string,
): Promise<MailqProcess> {
  const child = spawn(process.execPath, [MAILQ, command], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mailq ${command} did not start:\n${output}`)), 60_000);
    const poll = setInterval(() => {
      if (output.includes(readyText)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`mailq ${command} exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
