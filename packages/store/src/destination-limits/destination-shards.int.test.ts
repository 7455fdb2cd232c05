import { keySlot, partitionOf } from '@mailq/queues';
import { expect, it } from 'vitest';
import { DestinationKeys } from './destination-keys';
import { PAUSED_RETRY_MS, SHARD_PAUSE_CACHE_MS, type AcquireResult } from './destination-limiter';
import { shardsOf } from './destination-policy';
import { StoreKeys } from '../keys';
import { OperatorPauses } from '../operator-pauses';
import { onEveryBackend, refused, sameFor } from './limiter-test-support';

onEveryBackend('A destination split into shards', (backend) => {
  const { setup } = backend;

  it('splits a high-volume destination over shards: never more than its budget, calls spread over slots', async () => {
    const policy = { messagesPerSecond: 400, maxConnections: 1_000 };
    const shards = shardsOf(policy);
    expect(shards).toBe(8);
    const { clock, limiter, other, namespace } = setup(sameFor(policy));
    const holders = Array.from({ length: 600 }, (_, i) => `msg-${i}:wide.example`);
    // Each holder asks one shard; a shard lets 400 / 8 = 50 through in the window.
    const perShard = new Map<number, number>();
    for (const h of holders)
      perShard.set(partitionOf(h, shards), (perShard.get(partitionOf(h, shards)) ?? 0) + 1);
    const expected = [...perShard.values()].reduce((sum, n) => sum + Math.min(50, n), 0);
    const results = await Promise.all(
      holders.map((h, i) => (i % 2 === 0 ? limiter : other).acquire('wide.example', h)),
    );
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBe(expected);
    expect(granted).toBeLessThanOrEqual(400);
    expect(granted).toBeGreaterThan(350);
    const refusal = results.find((r): r is Exclude<AcquireResult, { ok: true }> => !r.ok);
    expect(refusal?.reason).toBe('wide.example: 400 messages/s limit');

    const status = await limiter.status('wide.example');
    expect(status.budget).toEqual({ limit: 400, windowMs: 1000 });
    expect(status.messagesPerSecond).toBe(400);
    expect(status.sentInWindow).toBe(granted);
    expect(status.activeLeases).toBe(granted);
    // The shards' keys are spread over slots (and so over a cluster's masters).
    const keys = new DestinationKeys(namespace);
    const slots = new Set(Array.from({ length: shards }, (_, k) => keySlot(keys.sends('wide.example', k))));
    expect(slots.size).toBe(shards);
    for (let k = 0; k < shards; k++)
      expect(await backend.redis.exists(keys.sends('wide.example', k))).toBe(1);

    clock.advance(1_000);
    expect((await limiter.acquire('wide.example', 'msg-next:wide.example')).ok).toBe(true);
  });

  it("asks a second shard when the holder's own is full, and still never exceeds the whole budget", async () => {
    const policy = { messagesPerSecond: 400, maxConnections: 16 }; // 8 shards of 50 msg/s and 2 connections
    expect(shardsOf(policy)).toBe(8);
    const { limiter } = setup(sameFor(policy));
    // Ten holders whose own shard is the same one: it has 2 connections.
    const crowded: string[] = [];
    for (let i = 0; crowded.length < 10; i++) if (partitionOf(`c-${i}`, 8) === 3) crowded.push(`c-${i}`);
    const results = await Promise.all(crowded.map((h) => limiter.acquire('crowded.example', h)));
    const granted = results.filter((r) => r.ok).length;
    expect(granted).toBeGreaterThan(2);
    expect((await limiter.status('crowded.example')).activeLeases).toBe(granted);
    // However the holders fall, the destination never has more than its 16 connections.
    const more = await Promise.all(
      Array.from({ length: 60 }, (_, i) => limiter.acquire('crowded.example', `m-${i}`)),
    );
    expect(granted + more.filter((r) => r.ok).length).toBeLessThanOrEqual(16);
    expect((await limiter.status('crowded.example')).activeLeases).toBeLessThanOrEqual(16);
  });

  it('holds every shard of a split destination an operator paused, and slows them all down', async () => {
    const policy = { messagesPerSecond: 400, maxConnections: 1_000 };
    const { clock, namespace, limiter } = setup(sameFor(policy));
    const pauses = new OperatorPauses(backend.redis, new StoreKeys(namespace));
    // One holder per shard, each seen once before the pause (shards > 0 cache the pause flag).
    const byShard = new Map<number, string>();
    for (let i = 0; byShard.size < 8; i++) byShard.set(partitionOf(`h-${i}`, 8), `h-${i}`);
    for (const holder of byShard.values())
      expect((await limiter.acquire('held.example', holder)).ok).toBe(true);
    await pauses.pauseDestination('held.example');
    clock.advance(SHARD_PAUSE_CACHE_MS + 1);
    for (const holder of byShard.values()) {
      expect(refused(await limiter.acquire('held.example', holder))).toEqual({
        ok: false,
        limit: 'paused',
        retryAfterMs: PAUSED_RETRY_MS,
        reason: 'held.example: paused by an operator',
      });
    }
    await pauses.resumeDestination('held.example');
    clock.advance(SHARD_PAUSE_CACHE_MS + 1);
    for (const holder of byShard.values())
      expect((await limiter.acquire('held.example', holder)).ok).toBe(true);

    await limiter.slowDown('held.example', 0.5, 60_000);
    const status = await limiter.status('held.example');
    expect(status.messagesPerSecond).toBe(200);
    expect(status.slowdown?.factor).toBe(0.5);
    const keys = new DestinationKeys(namespace);
    for (let k = 0; k < 8; k++)
      expect(await backend.redis.hget(keys.slowdown('held.example', k), 'factor')).toBe('0.5');
  });
});
