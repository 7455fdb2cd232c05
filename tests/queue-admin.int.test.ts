import { createQueue, createRedis } from '@mailq/queues';
import { createLogger } from '@mailq/telemetry-node';
import { TENANT_PAUSE_CACHE_MS, startWorkers, type WorkerFleet } from '@mailq/worker';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { sendOk, statusOf, waitForEmail } from './support/email-status';
import { sampleEmail, testWorkerConfig } from './support/platform';
import { runMailq } from './support/run-mailq';
import { useTestPlatform } from './support/test-platform';

// Operators act on queues without touching Redis: the admin API (with Bull
// Board) on the ingest, and the same actions as `mailq queue` commands.
const admin = { user: 'ops', password: 'admin-password-for-tests' };
const env = useTestPlatform({ withWorkers: false, admin });
let fleet: WorkerFleet | undefined;
afterAll(async () => fleet?.close(5_000));

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;
const adminCall = (method: string, path: string, body?: unknown) =>
  fetch(`${env.platform.url}/admin/v1${path}`, {
    method,
    headers: {
      authorization: basic(admin.user, admin.password),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const cli = (...args: string[]) =>
  runMailq(['queue', ...args], { REDIS_URL: env.redis.url, MAILQ_NAMESPACE: env.platform.namespace });

describe('queue administration', () => {
  it('answers Bull Board and the admin API only with the admin credentials', async () => {
    const board = `${env.platform.url}/admin/queues`;
    const anonymous = await fetch(board);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect(
      (await fetch(board, { headers: { authorization: basic('ops', 'wrong-password-123') } })).status,
    ).toBe(401);
    const withApiKey = await fetch(`${env.platform.url}/admin/v1/queues`, {
      headers: { authorization: `Bearer ${env.platform.keyA}` },
    });
    expect(withApiKey.status).toBe(401);
    const page = await fetch(board, { headers: { authorization: basic(admin.user, admin.password) } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const queues = (await (await adminCall('GET', '/queues')).json()) as { data: { queue: string }[] };
    expect(queues.data.map((q) => q.queue)).toEqual(['email', 'webhook', 'bounce', 'analytics', 'tracking']);
  });

  it('lists failed jobs by filter and retrying one delivers it', async () => {
    const id = await sendOk(env.platform, sampleEmail({ to: 'poison@failed.test' }));
    const other = await sendOk(env.platform, sampleEmail({ to: 'fine@other.test' }));
    // A failure the delivery code cannot recover from on its own (say, a worker crash loop):
    // a bare BullMQ worker fails both jobs for good, and the safety net marks the recipients failed.
    const workerConnection = createRedis(env.target, 'worker', 'test-failer');
    const failer = new Worker(
      'email',
      async () => {
        throw new UnrecoverableError('worker crashed while sending (simulated)');
      },
      { connection: workerConnection, prefix: `{${env.platform.namespace}}` },
    );
    const email = createQueue('email', env.platform.redis, env.platform.namespace);
    await waitUntilCount(async () => (await email.getJobCounts('failed')).failed ?? 0, 2);
    await failer.close();
    workerConnection.disconnect();
    await email.close();
    for (const [message, address] of [
      [id, 'poison@failed.test'],
      [other, 'fine@other.test'],
    ] as const) {
      const at = new Date().toISOString();
      await env.platform.stores.messages.update(
        message,
        [{ address, status: 'failed', reply: 'crashed' }],
        [],
        at,
      );
    }

    const listed = (await (await adminCall('GET', '/queues/email/failed?domain=failed.test')).json()) as {
      data: { id: string; reason: string; domains: string[] }[];
    };
    expect(listed.data.map((j) => j.id)).toEqual([id]);
    expect(listed.data[0]?.reason).toContain('simulated');
    const failedCli = await cli('failed', 'email', '--reason', 'SIMULATED');
    expect(failedCli.stdout).toContain('2 failed job(s).');

    fleet = await startWorkers({
      redis: env.target,
      namespace: env.platform.namespace,
      logger: createLogger('test', { level: 'silent' }),
      config: testWorkerConfig(env.sink.url),
    });
    const retried = (await (
      await adminCall('POST', '/queues/email/failed/retry', { domain: 'failed.test' })
    ).json()) as { retried: number };
    expect(retried.retried).toBe(1);
    const delivered = await waitForEmail(env.platform, id, 'delivered');
    expect(delivered.events.some((e) => e.type === 'retried')).toBe(true);
    expect(env.sink.messages.some((m) => m.envelope.rcptTo.includes('poison@failed.test'))).toBe(true);
    expect((await statusOf(env.platform, other)).status).toBe('failed');

    const purged = await cli('purge', 'email', '--tenant', (await tenantOf(env.platform.keyA)) ?? '');
    expect(purged.stdout).toContain('Purged 1 failed job(s).');
    expect((await (await adminCall('GET', '/queues/email/failed')).json()) as object).toEqual({ data: [] });
  });

  it('holds mail to a paused destination as deferred, and releases it on resume', async () => {
    const paused = await adminCall('POST', '/destinations/Held.Test/pause');
    expect(await paused.json()).toEqual({ domain: 'held.test', paused: true });
    const held = await sendOk(env.platform, sampleEmail({ to: 'someone@held.test' }));
    const free = await sendOk(env.platform, sampleEmail({ to: 'someone@free.test' }));
    await waitForEmail(env.platform, free, 'delivered');
    const waiting = await waitForEmail(env.platform, held, 'deferred');
    expect(waiting.recipients[0]?.reply).toContain('held.test: paused by an operator');
    expect(env.sink.messages.some((m) => m.envelope.rcptTo.includes('someone@held.test'))).toBe(false);
    expect(await (await adminCall('GET', '/pauses')).json()).toEqual({ tenants: [], domains: ['held.test'] });

    await adminCall('POST', '/destinations/held.test/resume');
    await waitForEmail(env.platform, held, 'delivered', 20_000);
  }, 30_000);

  it('holds a paused tenant’s mail (mailq queue pause-tenant) until resumed', async () => {
    const tenant = (await tenantOf(env.platform.keyA)) ?? '';
    expect((await cli('pause-tenant', tenant)).stdout).toContain(`Tenant ${tenant} paused`);
    // Workers re-read a tenant's pause at most this often (the documented delay of a pause).
    await new Promise((resolve) => setTimeout(resolve, TENANT_PAUSE_CACHE_MS + 200));
    const held = await sendOk(env.platform, sampleEmail({ to: 'tenant-held@free.test' }));
    const waiting = await waitForEmail(env.platform, held, 'deferred');
    expect(waiting.recipients[0]?.reply).toContain(`tenant ${tenant} paused by an operator`);
    const otherTenant = await env.platform.send(sampleEmail({ to: 'b@free.test' }), {
      key: env.platform.keyB,
    });
    const otherId = ((await otherTenant.json()) as { id: string }).id;
    await waitForEmail(
      { ...env.platform, getEmail: (i) => env.platform.getEmail(i, env.platform.keyB) },
      otherId,
      'delivered',
    );

    expect((await cli('resume-tenant', tenant)).code).toBe(0);
    await waitForEmail(env.platform, held, 'delivered', 20_000);
    expect((await cli('status')).stdout).toMatch(/email\s+0\s+no/);
  }, 30_000);

  it('pauses and resumes a queue, and drains everything for a deploy', async () => {
    expect(await (await adminCall('POST', '/queues/webhook/pause')).json()).toEqual({ paused: 1 });
    expect((await cli('status')).stdout).toMatch(/webhook\s+0\s+yes/);
    const drained = await cli('drain', '--timeout-ms', '10000');
    expect(drained.code).toBe(0);
    expect(drained.stdout).toContain('In flight: 0.');
    const queued = await sendOk(env.platform, sampleEmail({ to: 'after-deploy@free.test' }));
    expect((await statusOf(env.platform, queued)).status).toBe('queued');
    expect(await (await adminCall('POST', '/resume')).json()).toEqual({ resumed: 5 });
    await waitForEmail(env.platform, queued, 'delivered');
  });

  it('refuses invalid admin input with 400 and changes nothing', async () => {
    expect((await adminCall('POST', '/queues/nope/pause')).status).toBe(400);
    expect((await adminCall('POST', '/queues/email/failed/retry', { limit: -1 })).status).toBe(400);
    expect((await adminCall('POST', '/tenants/no-such-tenant/pause')).status).toBe(404);
    expect(await (await adminCall('GET', '/pauses')).json()).toEqual({ tenants: [], domains: [] });
  });
});

async function tenantOf(key: string): Promise<string | undefined> {
  return (await env.platform.ingest.backend.authenticate(key))?.tenantId;
}

async function waitUntilCount(read: () => Promise<number>, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await read()) < count) {
    if (Date.now() > deadline) throw new Error(`never reached ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
