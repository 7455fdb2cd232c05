import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAILQ = fileURLToPath(new URL('../../apps/cli/bin/mailq.js', import.meta.url));

/** Runs a `mailq` command to completion, as a user would in a shell. */
export function runMailq(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAILQ, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
