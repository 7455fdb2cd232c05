import { waitUntil } from '@mailq/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOk, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { apiClient } from './support/api-client';
import { useTestPlatform } from './support/test-platform';
import { startWebhookReceiver } from './support/webhook-receiver';

const TRACKING_KEYS = 'k1:tracking-secret-for-tests-0123456789abcdef';
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => receiver?.close());

// The clock relay and workers read: moved forward to age a failing endpoint by days.
let clockOffsetMs = 0;
const env = useTestPlatform({
  now: () => new Date(Date.now() + clockOffsetMs),
  relay: { webhookUrlPolicy: { allowLoopback: true, allowPrivate: false } },
  trackingKeys: TRACKING_KEYS,
  workerEnv: (_sink, ingestUrl) => ({
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    WEBHOOK_RETRY_SCALE: '0.001',
    TRACKING_KEYS,
    TRACKING_BASE_URL: ingestUrl,
    // One message a second: a burst to this domain is held by the limit before it is sent.
    DESTINATION_LIMITS: JSON.stringify({ 'slow.events.test': { maxConnections: 1, messagesPerSecond: 1 } }),
  }),
});

const api = apiClient(() => env.platform);

describe('events and the feedback loop', () => {
  let secret = '';
  let endpointId = '';

  it('registers an endpoint and refuses private targets', async () => {
    const refused = await api('POST', '/v1/webhooks', { url: 'http://169.254.169.254/latest' });
    expect(refused.status).toBe(400);
    const created = await api('POST', '/v1/webhooks', { url: receiver.url });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as { id: string; secret: string; event_types: string[] };
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint.event_types).toContain('email.bounced');
    secret = endpoint.secret;
    endpointId = endpoint.id;
    expect(JSON.stringify(await (await api('GET', `/v1/webhooks/${endpointId}`)).json())).not.toContain(
      secret,
    );
  });

  it('announces a message deferred once and then delivered: queued, one email.sent, deferred, delivered', async () => {
    env.sink.replyWith(({ stage, rcpt, attempt }) =>
      stage === 'rcpt' && rcpt === 'later@events.test' && attempt === 1
        ? { code: 451, message: '4.3.0 Try again later' }
        : undefined,
    );
    const id = await sendOk(env.platform, sampleEmail({ to: 'later@events.test' }));
    await waitForEmail(env.platform, id, 'delivered');
    env.sink.replyWith(undefined);
    await waitUntil(() => receiver.ofType('email.delivered').find((w) => w.json.data.email_id === id));
    // Webhooks are delivered concurrently: give a stray duplicate time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const types = receiver.received.filter((w) => w.json.data.email_id === id).map((w) => w.json.type);
    expect(types.filter((t) => t === 'email.sent')).toHaveLength(1);
    expect([...new Set(types)].sort()).toEqual([
      'email.deferred',
      'email.delivered',
      'email.queued',
      'email.sent',
    ]);
  });

  it('announces email.sent once for mail a destination limit held back before sending it', async () => {
    const ids = await Promise.all(
      ['a', 'b', 'c'].map((name) => sendOk(env.platform, sampleEmail({ to: `${name}@slow.events.test` }))),
    );
    const emails = await Promise.all(ids.map((id) => waitForEmail(env.platform, id, 'delivered')));
    // At one a second, at least two of the three waited on the limit first.
    const held = emails.filter((e) => e.events.some((ev) => ev.type === 'deferred'));
    expect(held.length).toBeGreaterThanOrEqual(2);
    await waitUntil(() =>
      ids.every((id) => receiver.ofType('email.delivered').some((w) => w.json.data.email_id === id)),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ids) {
      const sent = receiver.ofType('email.sent').filter((w) => w.json.data.email_id === id);
      expect(sent).toHaveLength(1);
    }
  });

  it('announces every message of a batch as email.queued, once each', async () => {
    const batch = await env.platform.send(
      ['one', 'two', 'three'].map((name) => sampleEmail({ to: `${name}@batch.events.test` })),
      { path: '/v1/emails/batch' },
    );
    expect(batch.status).toBe(200);
    const ids = ((await batch.json()) as { data: { id: string }[] }).data.map((d) => d.id);
    expect(ids).toHaveLength(3);
    await waitUntil(() =>
      ids.every((id) => receiver.ofType('email.queued').some((w) => w.json.data.email_id === id)),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const id of ids)
      expect(receiver.ofType('email.queued').filter((w) => w.json.data.email_id === id)).toHaveLength(1);
  });

  it('a 550 becomes a signed email.bounced webhook, the recipient is suppressed, and the next send is suppressed', async () => {
    env.sink.replyWith(({ stage }) =>
      stage === 'data' ? { code: 550, message: '5.1.1 User unknown' } : undefined,
    );
    const id = await sendOk(env.platform, sampleEmail({ to: 'nobody@events.test' }));
    await waitForEmail(env.platform, id, 'bounced');
    env.sink.replyWith(undefined);

    const bounced = await waitUntil(() =>
      receiver.ofType('email.bounced').find((w) => w.json.data.email_id === id),
    );
    const verified = new Webhook(secret).verify(bounced.body, {
      'webhook-id': String(bounced.headers['webhook-id']),
      'webhook-timestamp': String(bounced.headers['webhook-timestamp']),
      'webhook-signature': String(bounced.headers['webhook-signature']),
    }) as { data: { recipient: string; bounce_type: string } };
    expect(verified.data.recipient).toBe('nobody@events.test');
    expect(verified.data.bounce_type).toBe('hard');

    const second = await sendOk(env.platform, sampleEmail({ to: 'nobody@events.test' }));
    await waitForEmail(env.platform, second, 'suppressed');
    await waitUntil(() => receiver.ofType('email.suppressed').find((w) => w.json.data.email_id === second));
  });

  it('retries a failing endpoint until it answers, logs every attempt, and replays on request', async () => {
    receiver.failNext(2, 'email.delivered');
    const id = await sendOk(env.platform, sampleEmail({ to: 'reader@events.test' }));
    const delivered = await waitUntil(
      () => receiver.ofType('email.delivered').find((w) => w.json.data.email_id === id),
      { timeoutMs: 20_000 },
    );
    const log = (await (await api('GET', `/v1/webhooks/${endpointId}/deliveries`)).json()) as {
      data: { event_id: string; ok: boolean; status?: number }[];
    };
    const attempts = log.data.filter((d) => d.event_id === delivered.headers['webhook-id']);
    expect(attempts.map((a) => a.ok).sort()).toEqual([false, false, true]);

    const before = receiver.received.length;
    const from = new Date(Date.now() - 60_000).toISOString();
    const replay = await api('POST', `/v1/webhooks/${endpointId}/replay`, {
      from,
      to: new Date().toISOString(),
    });
    expect(replay.status).toBe(202);
    const { queued } = (await replay.json()) as { queued: number };
    expect(queued).toBeGreaterThan(0);
    await waitUntil(() => receiver.received.length >= before + queued);
    const again = receiver.received
      .slice(before)
      .find((w) => w.headers['webhook-id'] === delivered.headers['webhook-id']);
    expect(again?.json.type).toBe('email.delivered');
  });

  it('tracks clicks through signed redirects and opens through the pixel', async () => {
    const id = await sendOk(
      env.platform,
      sampleEmail({
        to: 'clicker@events.test',
        html: '<p><a href="https://example.org/welcome?x=1&amp;y=2">Start</a> <a href="mailto:help@example.com">help</a></p>',
        tracking: { opens: true, clicks: true },
      }),
    );
    await waitForEmail(env.platform, id, 'delivered');
    const html = String(
      env.sink.messages.find((m) => m.envelope.rcptTo.includes('clicker@events.test'))?.parsed.html,
    );
    const click = /href="([^"]*\/t\/c\/[^"]+)"/.exec(html)?.[1];
    const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(html)?.[1];
    expect(click).toBeDefined();
    expect(pixel).toBeDefined();
    expect(html).toContain('mailto:help@example.com');

    const redirect = await fetch(String(click), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://example.org/welcome?x=1&y=2');
    const tampered = String(click).replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await fetch(tampered, { redirect: 'manual' })).status).toBe(404);
    const image = await fetch(String(pixel));
    expect(image.headers.get('content-type')).toBe('image/gif');

    const email = await waitForEmail(env.platform, id, (e) =>
      ['clicked', 'opened'].every((t) => e.events.some((ev) => ev.type === t)),
    );
    const clicked = email.events.find((e) => e.type === 'clicked') as
      { url?: string; machine?: boolean } | undefined;
    expect(clicked?.url).toBe('https://example.org/welcome?x=1&y=2');
    expect(typeof clicked?.machine).toBe('boolean');
    await waitUntil(() => receiver.ofType('email.clicked').find((w) => w.json.data.email_id === id));
  });

  it('counts events in analytics from the aggregates', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const result = await waitUntil(async () => {
      const body = (await (
        await api('GET', `/v1/analytics?from=${from}&to=${to}&group_by=domain`)
      ).json()) as {
        totals: Record<string, number>;
        groups: { key: string; counts: Record<string, number> }[];
      };
      // Counts arrive in windows (AnalyticsBatcher): wait until every metric this test produced is in.
      const counted = ['bounced', 'delivered', 'suppressed', 'clicked'].every(
        (m) => (body.totals[m] ?? 0) >= 1,
      );
      return counted ? body : undefined;
    });
    expect(result.groups.find((g) => g.key === 'example.com')?.counts.delivered).toBeGreaterThanOrEqual(1);
    expect((await api('GET', '/v1/analytics?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(
      400,
    );
  });

  it('disables an endpoint that has failed for days, and says why', async () => {
    const broken = await startWebhookReceiver();
    broken.failNext(1_000);
    try {
      const created = await api('POST', '/v1/webhooks', {
        url: broken.url,
        event_types: ['email.delivered'],
      });
      const { id } = (await created.json()) as { id: string };
      await new Promise((resolve) => setTimeout(resolve, 5_500)); // publishers cache endpoint lists for 5 s
      await sendOk(env.platform, sampleEmail({ to: 'someone@failing.test' }));
      const failing = await waitUntil(async () => {
        const endpoint = (await (await api('GET', `/v1/webhooks/${id}`)).json()) as {
          failing_since?: string;
        };
        return endpoint.failing_since ? endpoint : undefined;
      });
      expect(failing.failing_since).toBeDefined();
      clockOffsetMs = 6 * 24 * 3_600_000;
      const disabled = await waitUntil(
        async () => {
          const endpoint = (await (await api('GET', `/v1/webhooks/${id}`)).json()) as {
            enabled: boolean;
            disabled_reason?: string;
          };
          return endpoint.enabled ? undefined : endpoint;
        },
        { timeoutMs: 20_000 },
      );
      expect(disabled.disabled_reason).toContain('HTTP 500');
    } finally {
      clockOffsetMs = 0;
      await broken.close();
    }
  });
});
