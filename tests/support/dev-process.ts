import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAILQ = fileURLToPath(new URL('../../apps/cli/bin/mailq.js', import.meta.url));

export interface DevProcess {
  child: ChildProcess;
  output(): string;
  /** Sends SIGINT (Ctrl-C) and resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** Runs `mailq dev` as a user would, and resolves once it printed its banner. */
export async function startDev(env: Record<string, string>): Promise<DevProcess> {
  const child = spawn(process.execPath, [MAILQ, 'dev'], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mailq dev did not start:\n${output}`)), 60_000);
    const check = setInterval(() => {
      if (output.includes('Mail Queue is running')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`mailq dev exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    async interrupt() {
      child.kill('SIGINT');
      return exited;
    },
  };
}
