import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { tourEveryRoute } from './support/route-tour';
import { useTestPlatform } from './support/test-platform';
import { startWebhookReceiver } from './support/webhook-receiver';

// The ingest as deployed at the edge: src/worker.ts with wrangler.toml in
// workerd, every call signed and handed to a relay service over HTTP.
const TRACKING_KEYS = 'k1:tracking-secret-for-tests-0123456789abcdef';
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => receiver?.close());

const env = useTestPlatform({
  edge: true,
  trackingKeys: TRACKING_KEYS,
  relay: { webhookUrlPolicy: { allowLoopback: true, allowPrivate: false } },
  workerEnv: (_sink, ingestUrl) => ({
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    TRACKING_KEYS,
    TRACKING_BASE_URL: ingestUrl,
  }),
});

describe('the edge ingest in workerd', () => {
  it('serves every route through the relay, and a send is delivered', async () => {
    expect(env.platform.url).not.toBe(env.platform.ingest.server.url);
    await tourEveryRoute({ platform: env.platform, sink: env.sink, receiver });
    // Each call crossed the relay once, signed with a fresh nonce it remembers.
    const nonces = await env.platform.redis.keys(`${env.platform.namespace}:{seen:relay-nonce:*`);
    expect(nonces.length).toBeGreaterThan(30);
  }, 90_000);

  it('keeps the public error contract across the hand-off', async () => {
    const unknownKey = await env.platform.send(sampleEmail(), { key: 'mq_live_not-a-key' });
    expect(unknownKey.status).toBe(401);
    const invalid = await env.platform.send({ from: 'not an address' });
    expect(invalid.status).toBe(400);
    const conflict = async (subject: string) =>
      env.platform.send(sampleEmail({ subject }), { headers: { 'idempotency-key': 'edge-key' } });
    expect((await conflict('first')).status).toBe(202);
    const second = await conflict('second');
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('idempotency_conflict');
  });

  it('answers 503 storage_unavailable, never a 2xx, while the relay is down', async () => {
    await env.relay.close();
    const response = await env.platform.send(sampleEmail({ subject: 'relay down' }));
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${env.platform.url}/readyz`)).status).toBe(503);
  });
});
