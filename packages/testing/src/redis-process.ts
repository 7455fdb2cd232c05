import { spawn, type ChildProcess } from 'node:child_process';
import { trackChild } from './exit-cleanup';

// Enough of redis' log to explain a failed start (bind error, bad argument, AOF
// corruption) without keeping a busy server's whole output in memory.
const TAIL_CHARS = 4_000;

/** A running `redis-server` child plus the tail of everything it printed. */
export interface RedisProcess {
  readonly child: ChildProcess;
  /** Last few thousand characters of stdout and stderr, interleaved. */
  tail(): string;
  /** True once the process has exited (or was never started successfully). */
  hasExited(): boolean;
  /** Settles (never rejects) when the process exits or fails to spawn. */
  readonly exited: Promise<void>;
}

/**
 * Spawns `redis-server` with command-line arguments (no config file, so nothing
 * on disk can drift from what the test asked for).
 */
export function spawnRedisProcess(args: string[]): RedisProcess {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  // The pipes must always be drained: a full pipe buffer would block redis.
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      // e.g. ENOENT when redis-server is not installed; 'exit' may never follow.
      spawnError = error;
      append(Buffer.from(`\n[spawn error] ${error.message}\n`));
      resolve();
    });
  });
  return {
    child,
    tail: () => output,
    hasExited: () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null,
    exited,
  };
}

/** Resolves true once the process exited, false if `timeoutMs` elapsed first. */
export async function waitForExit(proc: RedisProcess, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const exited = await Promise.race([proc.exited.then(() => true), timedOut]);
  clearTimeout(timer);
  return exited;
}

/**
 * Graceful stop: SIGTERM lets redis fsync its AOF and exit; if it has not exited
 * within `graceMs` it is SIGKILLed. Safe to call on an already exited process.
 */
export async function terminateRedisProcess(proc: RedisProcess, graceMs = 10_000): Promise<void> {
  if (proc.hasExited()) return;
  proc.child.kill('SIGTERM');
  if (await waitForExit(proc, graceMs)) return;
  await killRedisProcess(proc);
}

/** Abrupt stop, like a crash: SIGKILL and wait for the exit to be observed. */
export async function killRedisProcess(proc: RedisProcess): Promise<void> {
  if (proc.hasExited()) return;
  proc.child.kill('SIGKILL');
  if (!(await waitForExit(proc, 5_000))) {
    throw new Error(`redis-server pid ${proc.child.pid} did not exit after SIGKILL`);
  }
}
