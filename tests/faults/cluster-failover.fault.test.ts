import { waitUntil } from '@mailq/testing';
import { partitionOf } from '@mailq/queues';
import type { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { formatTally, messageIdOf, settleAndCount } from './support/delivery-tally';
import { loadEmail, useFaultPlatform } from './support/fault-platform';
import { startSteadyLoad } from './support/steady-load';
import { at } from './support/timeline';

// DURABILITY=replicated: a 2xx only after WAIT 1 on every master that owns the
// message's record or job, so the replica promoted by a failover has them.
const PARTITIONS = 3;
const env = useFaultPlatform({
  cluster: true,
  partitions: PARTITIONS,
  relay: { durability: 'replicated' },
});

const RATE_PER_SECOND = 40;
const LOAD_MS = 24_000;
const KILL_AT_MS = 6_000;

describe('fault: kill -9 of a Redis Cluster master under load (DURABILITY=replicated)', () => {
  it(
    'fails over, loses no acknowledged message, and the same workers carry on',
    { timeout: 150_000 },
    async () => {
      const started = Date.now();
      await env.workers.startMany(2);
      const workers = [...env.workers.running];
      const load = startSteadyLoad({
        url: env.platform.url,
        apiKey: env.platform.keyA,
        body: loadEmail('failover'),
        ratePerSecond: RATE_PER_SECOND,
        durationMs: LOAD_MS,
      });
      const loadStarted = Date.now();
      // The victim owns the first partition of the email queue (and a third of the message records).
      const redis = env.platform.redis as Cluster;
      const slot = await redis.cluster('KEYSLOT', `{${env.platform.namespace}}`);
      const [victimAddress] = redis.slots[slot] ?? [];
      const victim = (await env.cluster.masters()).find((m) => `${m.host}:${m.port}` === victimAddress);
      if (!victim) throw new Error(`no master serves slot ${slot} (${victimAddress})`);

      await at(loadStarted, KILL_AT_MS);
      await env.cluster.killNode(victim.port);
      const killedAt = Date.now();
      const killedAtInLoad = load.elapsed();
      const masters = await waitUntil(
        async () => {
          const current = await env.cluster.masters();
          return current.length === 3 && current;
        },
        { timeoutMs: 30_000, intervalMs: 200, message: 'no replica was promoted' },
      );
      const failoverMs = Date.now() - killedAt;
      // The crashed node comes back as a replica of its successor, as after an orchestrator's restart.
      await env.cluster.restartNode(victim.port);
      const outcomes = await load.done;
      const tally = await settleAndCount(env, outcomes);
      process.stdout.write(formatTally('cluster master kill -9', tally, (Date.now() - started) / 1000));
      // What each worker delivered after the failover from the partition whose master died.
      const fromVictim = workers.map(
        (w) =>
          env.sink.arrivals.filter((a) => {
            const id = messageIdOf(a);
            const after = a.at > killedAt + failoverMs && a.client === env.workers.name(w);
            return after && id !== undefined && partitionOf(id, PARTITIONS) === 0;
          }).length,
      );
      process.stdout.write(
        `faults: cluster master kill -9 — failover in ${failoverMs} ms; after it each worker delivered ` +
          `${fromVictim.join(' / ')} messages of the partition whose master died\n`,
      );

      expect(masters.map((m) => m.port)).not.toContain(victim.port);
      // Workers resumed without a restart: the same processes, all alive, each taking jobs again
      // from the partition that moved to the promoted replica.
      expect(env.workers.running).toEqual(workers);
      expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
      expect(outcomes.some((o) => o.id && o.sentAt > killedAtInLoad + failoverMs)).toBe(true);
      for (const delivered of fromVictim) expect(delivered, env.workers.logTail()).toBeGreaterThan(0);
      expect(tally.lostIds, env.workers.logTail()).toEqual([]);
      expect(tally.lost).toBe(0);
    },
  );
});
