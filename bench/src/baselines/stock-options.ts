import type { JobsOptions } from 'bullmq';

/** Queue name of every stock baseline (BullMQ's default prefix `bull`). */
export const STOCK_QUEUE = 'email';

/**
 * Job options of the stock stack: the product's email retention (completed
 * jobs kept 1 h / 10k, failed 7 days), so neither side is charged for keeping
 * more than the other; retries as a BullMQ user would set them.
 */
export const STOCK_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** `redis://host:port` → BullMQ connection options (a stock user passes host and port). */
export function connectionOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}
