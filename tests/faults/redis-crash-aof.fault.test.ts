import { describe, expect, it } from 'vitest';
import { formatTally, settleAndCount } from './support/delivery-tally';
import { loadEmail, useFaultPlatform } from './support/fault-platform';
import { startSteadyLoad } from './support/steady-load';
import { at } from './support/timeline';

// DURABILITY=aof: every acknowledged write is fsynced before the reply, so a
// crash of the Redis process (not of its disk) cannot lose an accepted message.
const env = useFaultPlatform({ redis: { appendfsync: 'always' }, relay: { durability: 'aof' } });

const RATE_PER_SECOND = 60;
const LOAD_MS = 16_000;
const KILL_AT_MS = 6_000;
const DOWN_MS = 2_000;

describe('fault: Redis killed (kill -9) under load and restarted from its AOF', () => {
  it('loses no accepted message', { timeout: 120_000 }, async () => {
    const started = Date.now();
    await env.workers.startMany(2);
    const load = startSteadyLoad({
      url: env.platform.url,
      apiKey: env.platform.keyA,
      body: loadEmail('redis-crash'),
      ratePerSecond: RATE_PER_SECOND,
      durationMs: LOAD_MS,
    });
    const loadStarted = Date.now();
    await at(loadStarted, KILL_AT_MS);
    await env.redis.kill();
    const killedAt = load.elapsed();
    await at(loadStarted, KILL_AT_MS + DOWN_MS);
    await env.redis.restart();
    const restartedWall = Date.now();
    const outcomes = await load.done;
    const tally = await settleAndCount(env, outcomes);
    process.stdout.write(formatTally('redis kill -9 + AOF restart', tally, (Date.now() - started) / 1000));

    // Accepted before the crash and after the restart: the crash happened under load.
    expect(outcomes.some((o) => o.id && o.answeredAt < killedAt)).toBe(true);
    expect(outcomes.some((o) => o.id && o.sentAt > killedAt + DOWN_MS)).toBe(true);
    // The same workers carried on after the restart, each delivering again.
    expect(env.workers.running.every((w) => w.child.exitCode === null)).toBe(true);
    for (const worker of env.workers.running) {
      const name = env.workers.name(worker);
      expect(env.sink.arrivals.some((a) => a.at > restartedWall && a.client === name)).toBe(true);
    }
    expect(tally.lostIds, env.workers.logTail()).toEqual([]);
    expect(tally.lost).toBe(0);
  });
});
