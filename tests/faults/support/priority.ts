import { setPriority } from 'node:os';

/**
 * nice value for the processes that stand for other machines in production (the receiving MTA,
 * the worker hosts): scheduled ahead of whatever else shares this machine's cores.
 */
export const DEDICATED_HOST_PRIORITY = -10;

/**
 * Raises a child process's scheduling priority where that is permitted (root). On a 2-core
 * machine shared with other busy processes, a worker or sink starved for tens of milliseconds
 * stretches every SMTP transaction, and kill -9 scenarios would measure the neighbours rather
 * than the product. Without permission it does nothing: the process competes like any other.
 * On Linux this applies to the process's main thread, the one running its event loop.
 */
export function prioritise(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    setPriority(pid, DEDICATED_HOST_PRIORITY);
  } catch {
    // EACCES: not permitted; the scenario still runs, only more exposed to the machine's load.
  }
}
