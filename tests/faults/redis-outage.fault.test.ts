import { describe, expect, it } from 'vitest';
import { formatTally, settleAndCount } from './support/delivery-tally';
import { loadEmail, useFaultPlatform } from './support/fault-platform';
import { startSteadyLoad } from './support/steady-load';
import { at } from './support/timeline';

// Ingest and workers reach Redis through a TCP proxy; cutting it is a network
// partition: Redis itself keeps running (and its lock TTLs keep expiring).
const env = useFaultPlatform({ proxy: true });

const RATE_PER_SECOND = 30;
const CUT_AT_MS = 5_000;
const OUTAGE_MS = 30_000;
const LOAD_MS = CUT_AT_MS + OUTAGE_MS + 10_000;
const RESUME_WITHIN_MS = 10_000;

describe('fault: Redis unreachable for 30 s under load', () => {
  it(
    'answers 503 (never 2xx) the whole time, and workers resume within 10 s',
    { timeout: 150_000 },
    async () => {
      const started = Date.now();
      await env.workers.startMany(2);
      const load = startSteadyLoad({
        url: env.platform.url,
        apiKey: env.platform.keyA,
        body: loadEmail('outage'),
        ratePerSecond: RATE_PER_SECOND,
        durationMs: LOAD_MS,
      });
      const loadStarted = Date.now();
      await at(loadStarted, CUT_AT_MS);
      env.proxy.cut();
      const cutAt = load.elapsed();
      const cutWall = Date.now();
      await at(loadStarted, CUT_AT_MS + OUTAGE_MS);
      env.proxy.restore();
      const restoredAt = load.elapsed();
      const restoredWall = Date.now();
      const outcomes = await load.done;
      const tally = await settleAndCount(env, outcomes);
      process.stdout.write(formatTally('redis unreachable 30 s', tally, (Date.now() - started) / 1000));

      // Every request sent after the cut and answered before Redis was back got a 503.
      const during = outcomes.filter((o) => o.sentAt >= cutAt && o.answeredAt < restoredAt);
      const statuses = [...new Set(during.map((o) => o.status))];
      expect(during.length).toBeGreaterThan(RATE_PER_SECOND * (OUTAGE_MS / 1000) * 0.8);
      expect(statuses).toEqual([503]);
      // Nothing was delivered while the workers could not reach Redis to take a job…
      const arrivalsDuring = env.sink.arrivals.filter((a) => a.at > cutWall + 1_000 && a.at < restoredWall);
      // …and every worker delivered again within 10 s of its return (told apart by their EHLO names).
      const resumeMs = env.workers.running.map((worker) => {
        const first = env.sink.arrivals.find(
          (a) => a.at >= restoredWall && a.client === env.workers.name(worker),
        );
        return first ? first.at - restoredWall : Infinity;
      });
      process.stdout.write(
        `faults: redis unreachable 30 s — ${during.length} requests during the outage, all 503; ` +
          `${arrivalsDuring.length} deliveries during it; each worker delivered again ${resumeMs.join(' / ')} ms after Redis returned\n`,
      );
      for (const ms of resumeMs) expect(ms, env.workers.logTail()).toBeLessThanOrEqual(RESUME_WITHIN_MS);
      expect(env.workers.running.every((w) => w.child.exitCode === null)).toBe(true);
      expect(tally.lostIds).toEqual([]);
      expect(tally.lost).toBe(0);
    },
  );
});
