import type { Job } from 'bullmq';

/**
 * Bounds a processor run: past `timeoutMs` the attempt fails (and is retried
 * per the catalog), so a hung peer cannot hold a job and its slot forever.
 */
export function withTimeout(timeoutMs: number, processor: (job: Job, token?: string) => Promise<void>) {
  return async function processWithTimeout(job: Job, token?: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`job ${job.id} timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([processor(job, token), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
