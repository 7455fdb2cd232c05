import { QUEUES, createQueue } from '@mailq/queues';
import { startRedisServer, type RedisServerHandle } from '@mailq/testing';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUTS } from './support/bad-inputs';
import { sampleEmail, startPlatform, type Platform } from './support/platform';

// No workers here: jobs stay in the queue, so tests can count what was enqueued.
let redis: RedisServerHandle;
let platform: Platform;
let queue: Queue;

beforeAll(async () => {
  redis = await startRedisServer();
  platform = await startPlatform({
    redis: { kind: 'single', url: redis.url },
    smtpUrl: 'smtp://127.0.0.1:9',
    withWorkers: false,
  });
  queue = createQueue('email', platform.redis, platform.namespace);
});

afterAll(async () => {
  await queue?.close();
  await platform?.stop();
  await redis?.destroy();
});

async function enqueuedCount(): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function messageKeyCount(): Promise<number> {
  const keys = await platform.redis.keys(`${platform.namespace}:{msg:*`);
  return keys.length;
}

describe('bad input is refused with a clear 4xx and changes nothing', () => {
  it(`has a corpus of at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(BAD_INPUTS)('$name → $status $code', async (input) => {
    const response = await fetch(platform.url + (input.path ?? '/v1/emails'), {
      method: input.method ?? 'POST',
      headers: {
        authorization: `Bearer ${platform.keyA}`,
        'content-type': input.contentType ?? 'application/json',
      },
      ...(input.method === 'GET' ? {} : { body: input.body }),
    });
    expect(response.status).toBe(input.status);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe(input.code);
    expect(body.error.message.length).toBeGreaterThan(0);
    expect(body.error.requestId).toBeTruthy();
    expect(await enqueuedCount()).toBe(0);
    expect(await messageKeyCount()).toBe(0);
  });
});

describe('authentication and tenant isolation', () => {
  it.each([
    ['no Authorization header', undefined],
    ['not a bearer token', 'Basic dXNlcjpwYXNz'],
    ['unknown key', 'Bearer mq_thisKeyDoesNotExist0000000000'],
    ['malformed key', 'Bearer nope'],
  ])('%s → 401 unauthorized', async (_name, header) => {
    const response = await fetch(`${platform.url}/v1/emails`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(header ? { authorization: header } : {}) },
      body: JSON.stringify(sampleEmail()),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(await enqueuedCount()).toBe(0);
  });

  it("a key of tenant B cannot read tenant A's message", async () => {
    const sent = await platform.send(sampleEmail(), { key: platform.keyA });
    const { id } = (await sent.json()) as { id: string };
    expect((await platform.getEmail(id, platform.keyA)).status).toBe(200);
    const foreign = await platform.getEmail(id, platform.keyB);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('idempotency keys are per tenant', async () => {
    const headers = { 'idempotency-key': 'shared-key-1' };
    const a = (await (await platform.send(sampleEmail(), { key: platform.keyA, headers })).json()) as {
      id: string;
    };
    const b = (await (await platform.send(sampleEmail(), { key: platform.keyB, headers })).json()) as {
      id: string;
    };
    expect(a.id).not.toBe(b.id);
  });
});

describe('idempotency', () => {
  it('the same key and body return the same id and enqueue once; another body is a 409', async () => {
    const before = await enqueuedCount();
    const headers = { 'idempotency-key': 'order-1234' };
    const first = await platform.send(sampleEmail(), { headers });
    const second = await platform.send(sampleEmail(), { headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    const firstId = ((await first.json()) as { id: string }).id;
    expect(((await second.json()) as { id: string }).id).toBe(firstId);
    expect(await enqueuedCount()).toBe(before + 1);

    const conflict = await platform.send(sampleEmail({ subject: 'Different' }), { headers });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe('idempotency_conflict');
    expect(await enqueuedCount()).toBe(before + 1);
  });

  it('a batch replayed with its key returns the same ids', async () => {
    const headers = { 'idempotency-key': 'batch-77' };
    const body = [sampleEmail({ subject: 'a' }), sampleEmail({ subject: 'b' })];
    const first = (await (
      await platform.send(body, { headers, path: '/v1/emails/batch' })
    ).json()) as unknown;
    const second = (await (
      await platform.send(body, { headers, path: '/v1/emails/batch' })
    ).json()) as unknown;
    expect(second).toEqual(first);
  });

  it('stores the job with attempts, backoff and retention from the catalog and the message id as job id', async () => {
    const { id } = (await (await platform.send(sampleEmail())).json()) as { id: string };
    const job = await queue.getJob(id);
    expect(job?.id).toBe(id);
    expect(job?.opts.attempts).toBe(QUEUES.email.jobOptions.attempts);
    expect(job?.opts.backoff).toEqual(QUEUES.email.jobOptions.backoff);
  });
});
