import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

// Everything the harness must not leave behind if the test process exits
// without calling stop()/destroy(): redis-server does not notice its parent's
// death, so a crashed or interrupted run would keep ports and temp dirs busy.
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hookInstalled = false;

function cleanupSync(): void {
  // 'exit' handlers must be synchronous: sending a signal is, waiting is not.
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A just-killed redis may still be closing files; a stray temp dir is harmless.
    }
  }
  tempDirs.clear();
}

function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', cleanupSync);
}

/**
 * Remembers a spawned child so it is SIGKILLed if the test process exits while
 * it is still running. The child is forgotten as soon as it exits by itself.
 */
export function trackChild(child: ChildProcess): void {
  installHook();
  running.add(child);
  child.once('exit', () => running.delete(child));
}

/** Removes `dir` at process exit unless the returned function is called first. */
export function trackTempDir(dir: string): () => void {
  installHook();
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}
