import { DestinationKeys } from './destination-keys';
import { PAUSED_RETRY_MS } from './destination-limiter';
import { shardsOf } from './destination-policy';
import { StoreKeys } from '../keys';
import { OperatorPauses } from '../operator-pauses';
import { flushScripts, onEveryBackend, refused, sameFor } from './limiter-test-support';
import { expect, it } from 'vitest';

onEveryBackend('DestinationLimiter', (backend) => {
  const { setup } = backend;

  it('holds every send to a destination an operator paused, in all workers, until resumed', async () => {
    const { namespace, limiter, other } = setup(sameFor({ messagesPerSecond: 100, maxConnections: 10 }));
    const pauses = new OperatorPauses(backend.redis, new StoreKeys(namespace));
    expect(await pauses.pauseDestination('Paused.Example')).toBe('paused.example');
    for (const worker of [limiter, other]) {
      expect(refused(await worker.acquire('paused.example', 'job-1'))).toEqual({
        ok: false,
        limit: 'paused',
        retryAfterMs: PAUSED_RETRY_MS,
        reason: 'paused.example: paused by an operator',
      });
    }
    expect((await limiter.acquire('other.example', 'job-2')).ok).toBe(true);
    expect(await pauses.list()).toEqual({ tenants: [], domains: ['paused.example'] });
    expect(await pauses.resumeDestination('paused.example')).toBe(true);
    expect((await other.acquire('paused.example', 'job-1')).ok).toBe(true);
    expect(await pauses.list()).toEqual({ tenants: [], domains: [] });
  });

  it('lets 5 sends through at once under 5 msg/s, refuses the 6th, and resumes after the window', async () => {
    const { clock, limiter } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 5 }));
    for (let i = 0; i < 5; i++) expect((await limiter.acquire('a.example', `job-${i}`)).ok).toBe(true);
    const sixth = refused(await limiter.acquire('a.example', 'job-5'));
    expect(sixth).toEqual({
      ok: false,
      limit: 'rate',
      retryAfterMs: 1000,
      reason: 'a.example: 5 messages/s limit',
    });
    clock.advance(999);
    expect(refused(await limiter.acquire('a.example', 'job-5')).retryAfterMs).toBe(1);
    clock.advance(1);
    for (let i = 5; i < 10; i++) expect((await limiter.acquire('a.example', `job-${i}`)).ok).toBe(true);
    expect((await limiter.acquire('a.example', 'job-10')).ok).toBe(false);
  });

  it('never lets more than 5 through in any 1 s window of a 10 s burst of 200 attempts from two workers', async () => {
    const { clock, limiter, other } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 5 }));
    const sent: number[] = [];
    const refusals: { at: number; until: number }[] = [];
    for (let i = 0; i < 100; i++) {
      const at = i * 100 + ((i * 37) % 50); // irregular, strictly increasing, 0…9.95 s
      clock.advance(at - (clock.now() - 1_700_000_000_000));
      const results = await Promise.all([
        limiter.acquire('burst.example', `a-${i}`),
        other.acquire('burst.example', `b-${i}`),
      ]);
      for (const result of results) {
        if (result.ok) {
          sent.push(at);
          await result.lease.release();
        } else refusals.push({ at, until: at + result.retryAfterMs });
      }
    }
    for (const start of sent)
      expect(sent.filter((s) => s >= start && s < start + 1000).length).toBeLessThanOrEqual(5);
    // Not starved either: 5/s for 10 s, and nothing got through while a refusal said to wait.
    expect(sent.length).toBe(50);
    for (const { at, until } of refusals) expect(sent.some((s) => s > at && s < until)).toBe(false);
  });

  it('shares one budget between two workers on separate connections, even when racing', async () => {
    const { limiter, other } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 5 }));
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? limiter : other).acquire('shared.example', `job-${i}`),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect((await limiter.status('shared.example')).sentInWindow).toBe(5);
    expect((await other.status('shared.example')).activeLeases).toBe(5);
  });

  it('refuses a third connection at maxConnections 2 until a lease is released', async () => {
    const { limiter, other } = setup(sameFor({ maxConnections: 2, messagesPerSecond: 100 }));
    const first = await limiter.acquire('conn.example', 'job-1');
    expect((await other.acquire('conn.example', 'job-2')).ok).toBe(true);
    const third = refused(await limiter.acquire('conn.example', 'job-3'));
    expect(third).toMatchObject({ limit: 'connections', reason: 'conn.example: 2 connections in use' });
    expect(third.retryAfterMs).toBeGreaterThan(0);
    expect(third.retryAfterMs).toBeLessThanOrEqual(1000);
    if (!first.ok) throw new Error('first acquire refused');
    await first.lease.release();
    await first.lease.release(); // idempotent
    expect((await other.acquire('conn.example', 'job-3')).ok).toBe(true);
    // job-2 already holds a slot: acquiring again renews it rather than needing a third.
    expect((await limiter.acquire('conn.example', 'job-2')).ok).toBe(true);
    expect((await limiter.status('conn.example')).activeLeases).toBe(2);
  });

  it('frees the slot of a lease that was never released once it expires', async () => {
    const { clock, limiter } = setup(sameFor({ maxConnections: 2, messagesPerSecond: 100 }), 5_000);
    expect((await limiter.acquire('crash.example', 'crashed-1')).ok).toBe(true);
    clock.advance(10);
    expect((await limiter.acquire('crash.example', 'crashed-2')).ok).toBe(true);
    clock.advance(4_989);
    expect(refused(await limiter.acquire('crash.example', 'job-3')).retryAfterMs).toBe(1);
    clock.advance(1);
    const third = await limiter.acquire('crash.example', 'job-3');
    expect(third.ok && third.lease.expiresAt).toBe(clock.now() + 5_000);
    expect((await limiter.status('crash.example')).activeLeases).toBe(2);
  });

  it('halves the rate after a slow-down, compounds repeats, and recovers after the duration', async () => {
    const { clock, limiter } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 10 }));
    expect(await limiter.slowDown('slow.example')).toEqual({ factor: 0.5, until: clock.now() + 300_000 });
    for (let i = 0; i < 5; i++) expect((await limiter.acquire('slow.example', `job-${i}`)).ok).toBe(true);
    const sixth = refused(await limiter.acquire('slow.example', 'job-5'));
    expect(sixth.reason).toBe('slow.example: 5 messages/s limit (slowed down ×0.5 after 421/451)');

    clock.advance(60_000);
    expect((await limiter.slowDown('slow.example')).factor).toBe(0.25);
    const status = await limiter.status('slow.example');
    expect(status).toMatchObject({ messagesPerSecond: 2.5, budget: { limit: 2, windowMs: 1000 } });
    expect(status.slowdown).toEqual({ factor: 0.25, until: clock.now() + 300_000 });
    for (let i = 0; i < 2; i++) expect((await limiter.acquire('slow.example', `late-${i}`)).ok).toBe(true);
    expect((await limiter.acquire('slow.example', 'late-2')).ok).toBe(false);

    // The key's PX runs on Redis time, which has barely moved: recovery must come from `until`.
    clock.advance(300_000);
    expect(await limiter.status('slow.example')).toMatchObject({ messagesPerSecond: 10, slowdown: null });
    for (let i = 0; i < 10; i++) expect((await limiter.acquire('slow.example', `back-${i}`)).ok).toBe(true);
    expect((await limiter.acquire('slow.example', 'back-10')).ok).toBe(false);
  });

  it('stops compounding at one message per 10 s, which still drains the queue', async () => {
    const { clock, limiter } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 10 }));
    for (let i = 0; i < 12; i++) await limiter.slowDown('floor.example');
    expect((await limiter.status('floor.example')).slowdown?.factor).toBeCloseTo(0.01, 10);
    expect((await limiter.acquire('floor.example', 'job-1')).ok).toBe(true);
    const next = refused(await limiter.acquire('floor.example', 'job-2'));
    expect(next.retryAfterMs).toBe(10_000);
    expect(next.reason).toMatch(/^floor\.example: 1 message per 10 s limit \(slowed down/);
    clock.advance(10_000);
    expect((await limiter.acquire('floor.example', 'job-2')).ok).toBe(true);
  });

  it('keeps destinations independent and treats domain case and root dot as the same destination', async () => {
    const { limiter } = setup(sameFor({ maxConnections: 100, messagesPerSecond: 2 }));
    await limiter.slowDown('one.example');
    expect((await limiter.acquire('One.Example.', 'job-1')).ok).toBe(true);
    const refusal = refused(await limiter.acquire('one.example', 'job-2'));
    expect(refusal.reason).toMatch(/^one\.example: 1 message\/s limit/);
    expect((await limiter.acquire('two.example', 'job-3')).ok).toBe(true);
    expect((await limiter.acquire('two.example', 'job-4')).ok).toBe(true);
    expect(await limiter.status('two.example')).toMatchObject({ slowdown: null, sentInWindow: 2 });
  });

  it('gives every key a TTL so idle destinations leave nothing behind', async () => {
    const { limiter, namespace } = setup(sameFor({ maxConnections: 3, messagesPerSecond: 5 }), 10_000);
    await limiter.acquire('ttl.example', 'job-1');
    await limiter.slowDown('ttl.example', 0.5, 20_000);
    const keys = new DestinationKeys(namespace).all('ttl.example');
    const [sends = -1, leases = -1, slowdown = -1] = await Promise.all(
      keys.map((key) => backend.redis.pttl(key)),
    );
    // Each lives as long as it matters (window, lease, slow-down) plus the 60 s GC slack.
    expect(sends).toBeGreaterThan(60_000);
    expect(sends).toBeLessThanOrEqual(61_000);
    expect(leases).toBeGreaterThan(60_000);
    expect(leases).toBeLessThanOrEqual(70_000);
    expect(slowdown).toBeGreaterThan(70_000);
    expect(slowdown).toBeLessThanOrEqual(80_000);
  });

  it("keeps a busy destination's state bounded although it trims expired entries only now and then", async () => {
    // Busy, but below the volume that splits a destination into shards: one set of keys.
    const policy = { maxConnections: 4, messagesPerSecond: 90 };
    expect(shardsOf(policy)).toBe(1);
    const { clock, limiter, namespace } = setup(sameFor(policy), 10_000);
    const [sendsKey, leasesKey] = new DestinationKeys(namespace).all('busy.example');
    // 400 sends, one every 50 ms, each lease released: 20 s of steady traffic under every limit.
    for (let i = 0; i < 400; i++) {
      const result = await limiter.acquire('busy.example', `job-${i}`);
      if (!result.ok) throw new Error(`refused at ${i}: ${result.reason}`);
      await result.lease.release();
      clock.advance(50);
    }
    // A 1 s window holds 20 sends at this pace; stale ones are trimmed every 16 sends at the latest.
    expect(await backend.redis.zcard(sendsKey as string)).toBeLessThanOrEqual(20 + 16);
    expect(await backend.redis.zcard(leasesKey as string)).toBe(0);
    // Leases of crashed holders (never released) are trimmed once they fill the slots.
    for (let i = 0; i < 4; i++) expect((await limiter.acquire('busy.example', `crashed-${i}`)).ok).toBe(true);
    expect((await limiter.acquire('busy.example', 'waiting')).ok).toBe(false);
    clock.advance(10_001);
    expect((await limiter.acquire('busy.example', 'after-expiry')).ok).toBe(true);
    expect(await backend.redis.zrange(leasesKey as string, 0, -1)).toEqual(['after-expiry']);
    // The leases key lives as long as its latest lease, plus the GC slack.
    expect(await backend.redis.pttl(leasesKey as string)).toBeGreaterThan(60_000);
    expect(await backend.redis.pttl(leasesKey as string)).toBeLessThanOrEqual(70_000);
  });

  it('reloads its scripts after SCRIPT FLUSH (fresh node after a failover)', async () => {
    const { limiter } = setup(sameFor({ maxConnections: 3, messagesPerSecond: 5 }));
    expect((await limiter.acquire('flush.example', 'job-1')).ok).toBe(true);
    await flushScripts(backend.redis);
    expect((await limiter.acquire('flush.example', 'job-2')).ok).toBe(true);
  });

  it('refuses a policy that could never let a message through instead of deferring forever', async () => {
    const { limiter } = setup(sameFor({ maxConnections: 0, messagesPerSecond: 5 }));
    await expect(limiter.acquire('bad.example', 'job-1')).rejects.toThrow(
      /maxConnections must be a positive integer/,
    );
  });
});
