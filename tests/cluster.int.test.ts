import { layoutKey } from '@mailq/queues';
import { waitUntil } from '@mailq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { tourEveryRoute } from './support/route-tour';
import { CLUSTER_PASSWORD, useTestPlatform } from './support/test-platform';
import { startWebhookReceiver } from './support/webhook-receiver';

// The same code path as on a single Redis, against 3 masters + 3 replicas:
// every key is hash-tagged, so nothing may fail with CROSSSLOT.
// QUEUE_PARTITIONS=12: the email queue spread over 12 hash tags chosen from the slot map, four
// per master.
const TRACKING_KEYS = 'k1:tracking-secret-for-tests-0123456789abcdef';
const env = useTestPlatform({
  cluster: true,
  trackingKeys: TRACKING_KEYS,
  relay: { partitions: 12, webhookUrlPolicy: { allowLoopback: true, allowPrivate: false } },
  workerEnv: (_sink, ingestUrl) => ({
    QUEUE_PARTITIONS: '12',
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    TRACKING_KEYS,
    TRACKING_BASE_URL: ingestUrl,
  }),
});
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => receiver?.close());

describe('on Redis Cluster', () => {
  it('reports ready with the cluster state', async () => {
    const response = await fetch(`${env.platform.url}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: { redis: { detail: string } } };
    expect(body.checks.redis.detail).toContain('cluster_state:ok');
  });

  it('serves every API route and works every queue without a CROSSSLOT error', async () => {
    await tourEveryRoute({ platform: env.platform, sink: env.sink, receiver });
  }, 90_000);

  it('delivers single sends and batches, and answers status and idempotency', async () => {
    const single = await env.platform.send(sampleEmail({ subject: 'cluster single' }), {
      headers: { 'idempotency-key': 'cluster-1' },
    });
    expect(single.status).toBe(202);
    const { id } = (await single.json()) as { id: string };
    const replay = await env.platform.send(sampleEmail({ subject: 'cluster single' }), {
      headers: { 'idempotency-key': 'cluster-1' },
    });
    expect(((await replay.json()) as { id: string }).id).toBe(id);

    const batch = await env.platform.send(
      Array.from({ length: 10 }, (_, i) =>
        sampleEmail({ subject: `cluster batch ${i}`, to: `r${i}@example.net` }),
      ),
      { path: '/v1/emails/batch' },
    );
    expect(batch.status).toBe(200);
    const { data } = (await batch.json()) as { data: { id: string }[] };
    expect(data).toHaveLength(10);

    const received = await env.sink.waitFor(11, 30_000);
    expect(received.map((m) => m.parsed.subject)).toContain('cluster single');
    for (const messageId of [id, ...data.map((d) => d.id)]) {
      await waitUntil(async () => {
        const email = (await (await env.platform.getEmail(messageId)).json()) as { status: string };
        return email.status === 'delivered';
      });
    }
    const received1 = received.find((m) => m.parsed.subject === 'cluster single');
    expect(received1?.parsed.messageId).toBe(`<${id}@example.com>`);
    expect((await env.platform.getEmail(id, env.platform.keyB)).status).toBe(404);
  });

  it('spreads message records over the masters (hash tags per message)', async () => {
    const masters = await env.cluster.masters();
    const { Redis } = await import('ioredis');
    const counts = await Promise.all(
      masters.map(async ({ host, port }) => {
        const node = new Redis({ host, port, password: CLUSTER_PASSWORD, lazyConnect: true });
        await node.connect();
        const keys = await node.keys(`${env.platform.namespace}:{msg:*`);
        node.disconnect();
        return keys.length;
      }),
    );
    expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('spreads the partitions of the email queue evenly over the masters, and workers drain them all', async () => {
    const response = await env.platform.send(
      Array.from({ length: 24 }, (_, i) =>
        sampleEmail({ subject: `partitioned ${i}`, to: `p${i}@example.net` }),
      ),
      { path: '/v1/emails/batch' },
    );
    const { data } = (await response.json()) as { data: { id: string }[] };
    for (const { id } of data) {
      await waitUntil(
        async () =>
          ((await (await env.platform.getEmail(id)).json()) as { status: string }).status === 'delivered',
      );
    }
    const { Redis } = await import('ioredis');
    const perMaster = await Promise.all(
      (await env.cluster.masters()).map(async ({ host, port }) => {
        const node = new Redis({ host, port, password: CLUSTER_PASSWORD, lazyConnect: true });
        await node.connect();
        const keys = await node.keys(`{${env.platform.namespace}*:email:*`);
        node.disconnect();
        return new Set(keys.map((k) => k.slice(0, k.indexOf('}') + 1))).size;
      }),
    );
    expect(perMaster).toEqual([4, 4, 4]);
    // The layout stored in Redis, which the ingest writes to: the workers drain exactly those partitions.
    const layout = await env.platform.redis.lrange(layoutKey(env.platform.namespace), 0, -1);
    expect(layout).toHaveLength(12);
    const drained = env.platform.workers?.workers.filter((w) => w.name === 'email').map((w) => w.opts.prefix);
    expect(drained).toEqual(layout);
  });
});
