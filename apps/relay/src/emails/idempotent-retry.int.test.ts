import { ApiError, type Principal, type SendEmailRequest } from '@mailq/contracts';
import { connectRedis, resolvePartitionLayout, type EmailQueues } from '@mailq/queues';
import { useRedisServer } from '@mailq/testing';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisBackend } from '../redis-backend';

// A relay whose next email-queue write fails once: 'after-write' stores the jobs and then fails,
// as when Redis applied a MULTI but the reply was lost; 'before-write' fails without storing.
const redisServer = useRedisServer((url) => connectRedis({ kind: 'single', url }, 'producer'));
let backend: RedisBackend;
let queues: EmailQueues;
let principal: Principal;
let failNext: 'after-write' | 'before-write' | undefined;
// The relay's clock, moved by hand where a test needs time to pass between attempts.
let clock = Date.now();

const email: SendEmailRequest = {
  from: 'Acme <noreply@acme.example>',
  to: ['bob@example.org'],
  subject: 'Your receipt',
  text: 'Thanks!',
};

beforeAll(async () => {
  const redis = redisServer.client;
  const layout = await resolvePartitionLayout(redis, 'idem', 1);
  backend = new RedisBackend({
    redis,
    namespace: 'idem',
    layout,
    requireVerifiedDomain: false,
    now: () => new Date(clock),
  });
  // The service writes through this object; its queues are wrapped so a test can fail one write.
  queues = (backend as unknown as { emailQueues: EmailQueues }).emailQueues;
  const of = queues.of.bind(queues);
  const wrapped = new Map<Queue, Queue>();
  queues.of = (id: string) => {
    const queue = of(id);
    if (!wrapped.has(queue)) wrapped.set(queue, failingOnce(queue));
    return wrapped.get(queue) as Queue;
  };
  const tenant = await backend.stores.tenants.create('Acme');
  principal = { tenantId: tenant.id, keyId: 'key_1' };
});

beforeEach(async () => {
  failNext = undefined;
  for (const queue of queues.queues) await queue.obliterate({ force: true });
});

afterAll(async () => {
  await backend?.close();
});

function failingOnce(queue: Queue): Queue {
  return new Proxy(queue, {
    get(target, property, receiver) {
      if (property !== 'addBulk') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<Queue['addBulk']>) => {
        const mode = failNext;
        failNext = undefined;
        if (mode === 'before-write') throw new Error('Connection is closed.');
        const jobs = await target.addBulk(...args);
        if (mode === 'after-write') throw new Error('Command timed out');
        return jobs;
      };
    },
  });
}

async function jobIds(): Promise<string[]> {
  const jobs = (await Promise.all(queues.queues.map((q) => q.getJobs(['waiting', 'delayed'])))).flat();
  return jobs.map((job) => job.id ?? '').sort();
}

const storageFailure = { code: 'storage_unavailable' };

describe('a send retried with its Idempotency-Key after a storage failure', () => {
  it('is the same message when the failed write had landed: one job, one record, the same id', async () => {
    failNext = 'after-write';
    const first = backend.emails.send(principal, email, { idempotencyKey: 'k-landed' });
    await expect(first).rejects.toBeInstanceOf(ApiError);
    await expect(first).rejects.toMatchObject(storageFailure);
    const [landed] = await jobIds();
    expect(landed).toBeDefined();

    const retried = await backend.emails.send(principal, email, { idempotencyKey: 'k-landed' });
    expect(retried.id).toBe(landed);
    expect(await jobIds()).toEqual([landed]);
    const record = await backend.emails.get(principal, retried.id);
    expect(record).toMatchObject({ id: landed, from: email.from, subject: email.subject, status: 'queued' });
    // And from now on the key replays that message.
    expect(await backend.emails.send(principal, email, { idempotencyKey: 'k-landed' })).toEqual(retried);
    expect(await jobIds()).toEqual([landed]);
  });

  it('stores the message once, under the ids of the first attempt, when the failed write had not landed', async () => {
    failNext = 'before-write';
    await expect(backend.emails.send(principal, email, { idempotencyKey: 'k-lost' })).rejects.toMatchObject(
      storageFailure,
    );
    expect(await jobIds()).toEqual([]);
    const retried = await backend.emails.send(principal, email, { idempotencyKey: 'k-lost' });
    expect(await jobIds()).toEqual([retried.id]);
    expect(await backend.emails.get(principal, retried.id)).toMatchObject({ status: 'queued' });
  });

  it('keeps what a worker already recorded for a message whose job had landed', async () => {
    failNext = 'after-write';
    await expect(backend.emails.send(principal, email, { idempotencyKey: 'k-worked' })).rejects.toMatchObject(
      storageFailure,
    );
    // The failed attempt withdrew its record, but its job ran: the worker recorded a delivery.
    const [id = ''] = await jobIds();
    const at = new Date().toISOString();
    await backend.stores.messages.update(id, [{ address: 'bob@example.org', status: 'delivered' }], [], at);

    expect((await backend.emails.send(principal, email, { idempotencyKey: 'k-worked' })).id).toBe(id);
    const record = await backend.emails.get(principal, id);
    expect(record).toMatchObject({ from: email.from, subject: email.subject });
    expect(record?.recipients).toEqual([
      expect.objectContaining({ address: 'bob@example.org', status: 'delivered' }),
    ]);
  });

  it('keeps the ids of a whole batch', async () => {
    const items = [0, 1, 2].map((index) => ({ index, email: { ...email, subject: `Receipt ${index}` } }));
    failNext = 'after-write';
    await expect(
      backend.emails.sendBatch(principal, items, { idempotencyKey: 'k-batch' }),
    ).rejects.toMatchObject(storageFailure);
    const landed = await jobIds();
    expect(landed).toHaveLength(3);
    const results = await backend.emails.sendBatch(principal, items, { idempotencyKey: 'k-batch' });
    expect(results.map((r) => ('id' in r ? r.id : '')).sort()).toEqual(landed);
    expect(await jobIds()).toEqual(landed);
  });

  it('keeps the acceptance time, and delays a scheduled message from when it is finally written', async () => {
    const acceptedAt = clock;
    const scheduledAt = new Date(acceptedAt + 600_000).toISOString();
    failNext = 'before-write';
    const scheduled = { ...email, scheduled_at: scheduledAt };
    await expect(
      backend.emails.send(principal, scheduled, { idempotencyKey: 'k-later' }),
    ).rejects.toMatchObject(storageFailure);
    clock += 60_000;
    const { id } = await backend.emails.send(principal, scheduled, { idempotencyKey: 'k-later' });
    const job = await queues.jobOf(id);
    expect(job?.opts.delay).toBe(540_000);
    expect(await backend.emails.get(principal, id)).toMatchObject({
      created_at: new Date(acceptedAt).toISOString(),
      status: 'scheduled',
    });
  });

  it('without a key, is a new message (there is nothing to recognise it by)', async () => {
    failNext = 'after-write';
    await expect(backend.emails.send(principal, email, {})).rejects.toMatchObject(storageFailure);
    const retried = await backend.emails.send(principal, email, {});
    expect(await jobIds()).toHaveLength(2);
    expect(await jobIds()).toContain(retried.id);
  });
});
