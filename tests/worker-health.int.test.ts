import { waitUntil } from '@mailq/testing';
import { startHealthServer, type HealthReport } from '@mailq/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOk, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform({ workerEnv: { WORKER_STALL_AFTER_MS: '1000' } });
let health: Awaited<ReturnType<typeof startHealthServer>>;

beforeAll(async () => {
  const fleet = env.platform.workers;
  if (!fleet) throw new Error('the fixture starts workers');
  health = await startHealthServer(0, '127.0.0.1', () => fleet.health());
});
afterAll(async () => health?.close());

async function readyz(): Promise<{ status: number; body: HealthReport }> {
  const response = await fetch(`http://127.0.0.1:${health.port}/readyz`);
  return { status: response.status, body: (await response.json()) as HealthReport };
}

describe('worker health', () => {
  it('reports progress, not just liveness', async () => {
    expect((await fetch(`http://127.0.0.1:${health.port}/healthz`)).status).toBe(200);
    const id = await sendOk(env.platform, sampleEmail({ to: 'health@progress.test' }));
    await waitForEmail(env.platform, id, 'delivered');
    // The job's 'completed' event follows the record update by a moment.
    const { status, body } = await waitUntil(async () => {
      const report = await readyz();
      return (report.body.completedLastMinute.email ?? 0) >= 1 ? report : undefined;
    });
    expect(status).toBe(200);
    expect(body.redis.ok).toBe(true);
    expect(body.completedLastMinute.email).toBeGreaterThanOrEqual(1);
  });

  it('answers 503 while Redis is away', async () => {
    await env.redis.stop();
    try {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.redis.ok).toBe(false);
      // Not a reason to restart the process: liveness stays green through an outage.
      expect((await fetch(`http://127.0.0.1:${health.port}/healthz`)).status).toBe(200);
    } finally {
      await env.redis.restart();
    }
    await waitUntil(async () => (await readyz()).status === 200, { timeoutMs: 20_000 });
  });
  it('says "wedged" when email waits and nothing finishes, and fails liveness', async () => {
    // A worker that stopped consuming while its process lives on (as after a failover gone wrong).
    const email = env.platform.workers?.workers.find((w) => w.name === 'email');
    expect(email).toBeDefined();
    await email?.close();
    const id = await sendOk(env.platform, sampleEmail({ to: 'stuck@progress.test' }));
    const wedged = await waitUntil(async () => {
      const report = await readyz();
      return report.body.status === 'wedged' ? report : undefined;
    });
    expect(wedged.status).toBe(503);
    expect(wedged.body.emailWaiting).toBeGreaterThanOrEqual(1);
    // Liveness fails too, so Kubernetes restarts the wedged worker.
    const live = await fetch(`http://127.0.0.1:${health.port}/healthz`);
    expect(live.status).toBe(503);
    expect(await live.json()).toEqual({ status: 'wedged' });
    expect((await waitForEmail(env.platform, id, 'queued')).status).toBe('queued');
  });
});
