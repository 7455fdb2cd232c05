import { describe, expect, it } from 'vitest';
import { formatTally, settleAndCount } from './support/delivery-tally';
import { loadEmail, useFaultPlatform } from './support/fault-platform';
import { startSteadyLoad } from './support/steady-load';
import { at, sleep } from './support/timeline';

const env = useFaultPlatform();

const WORKERS = 3;
const RATE_PER_SECOND = 60;
const FIRST_STOP_MS = 3_000;
const STOP_EVERY_MS = 5_000;
/** Load goes on this long after the last worker stopped, so its successors work under it too. */
const AFTER_LAST_STOP_MS = 3_000;
/** Upper bound of the load (and so of the message count), however slow a busy machine makes the restarts. */
const MAX_LOAD_MS = 45_000;

describe('fault: rolling SIGTERM of every worker under steady load', () => {
  it('loses nothing and sends nothing twice', { timeout: 120_000 }, async () => {
    const started = Date.now();
    await env.workers.startMany(WORKERS);
    const original = [...env.workers.running];
    const load = startSteadyLoad({
      url: env.platform.url,
      apiKey: env.platform.keyA,
      body: loadEmail('rolling'),
      ratePerSecond: RATE_PER_SECOND,
      durationMs: MAX_LOAD_MS,
    });
    const loadStarted = Date.now();
    // A rolling deploy: a new worker comes up, then the oldest is told to stop and drains its jobs.
    const exitCodes: Array<number | null> = [];
    for (let i = 0; i < WORKERS; i++) {
      await at(loadStarted, FIRST_STOP_MS + i * STOP_EVERY_MS);
      await env.workers.start();
      exitCodes.push(await env.workers.terminateOldest());
    }
    const lastStopped = load.elapsed();
    await sleep(AFTER_LAST_STOP_MS);
    load.stop();
    const outcomes = await load.done;
    const tally = await settleAndCount(env, outcomes);
    process.stdout.write(formatTally(`rolling SIGTERM × ${WORKERS}`, tally, (Date.now() - started) / 1000));

    // Every worker was replaced while the load ran (its upper bound did not end it first).
    expect(lastStopped).toBeLessThan(MAX_LOAD_MS);
    expect(original.every((w) => !env.workers.running.includes(w))).toBe(true);
    expect(exitCodes, env.workers.logTail()).toEqual(Array.from({ length: WORKERS }, () => 0));
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.lostIds).toEqual([]);
    expect(tally.lost).toBe(0);
    expect(tally.duplicated).toBe(0);
  });
});
