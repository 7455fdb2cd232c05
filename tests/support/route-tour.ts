import { waitUntil, type SmtpSink } from '@mailq/testing';
import { expect } from 'vitest';
import { apiClient } from './api-client';
import { sendOk, waitForEmail } from './email-status';
import { sampleEmail, type Platform } from './platform';
import { dsn } from './reports';
import type { startWebhookReceiver } from './webhook-receiver';

export interface RouteTour {
  platform: Platform;
  sink: SmtpSink;
  /** Receives the tenant's signed webhooks (the platform must allow loopback endpoints). */
  receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
}

/**
 * Every public route once, with the answer a client relies on, and every
 * queue put to work (email, tracking, bounce, webhook, analytics). Suites run
 * it on Redis Cluster and through the edge ingest, where each call crosses a
 * different path (hash tags, the signed relay hand-off).
 */
export async function tourEveryRoute({ platform, sink, receiver }: RouteTour): Promise<void> {
  const api = apiClient(() => platform);
  const json = async <T>(response: Response, status: number): Promise<T> => {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const tag = `tour${Date.now()}`;

  // Health and the API description.
  await json(await fetch(`${platform.url}/healthz`), 200);
  await json(await fetch(`${platform.url}/readyz`), 200);
  const spec = await json<{ paths: Record<string, unknown> }>(
    await fetch(`${platform.url}/openapi.json`),
    200,
  );
  expect(Object.keys(spec.paths)).toContain('/v1/emails');

  // Webhook endpoints: create, read, update, list.
  const endpoint = await json<{ id: string; secret: string }>(
    await api('POST', '/v1/webhooks', {
      url: receiver.url,
      event_types: ['email.delivered', 'email.bounced'],
    }),
    201,
  );
  await json(await api('GET', `/v1/webhooks/${endpoint.id}`), 200);
  await json(await api('PATCH', `/v1/webhooks/${endpoint.id}`, { description: 'tour' }), 200);
  const endpoints = await json<{ data: { id: string }[] }>(await api('GET', '/v1/webhooks'), 200);
  expect(endpoints.data.map((e) => e.id)).toContain(endpoint.id);

  // Domains: create with generated DNS records, read, list, verify (nothing published yet).
  const domain = await json<{ id: string; records: unknown[]; status: string }>(
    await api('POST', '/v1/domains', { name: `${tag}.example.org` }),
    201,
  );
  expect(domain.records.length).toBeGreaterThanOrEqual(3);
  await json(await api('GET', `/v1/domains/${domain.id}`), 200);
  await json(await api('GET', '/v1/domains'), 200);
  const verified = await json<{ status: string }>(await api('POST', `/v1/domains/${domain.id}/verify`), 200);
  expect(verified.status).not.toBe('verified');

  // Templates: create, read, update, list; a send renders it.
  const name = `${tag}-welcome`;
  await json(
    await api('POST', '/v1/templates', { name, subject: 'Welcome {{who}}', text: 'Hello {{who}}' }),
    201,
  );
  await json(await api('GET', `/v1/templates/${name}`), 200);
  await json(await api('PATCH', `/v1/templates/${name}`, { subject: 'Welcome, {{who}}' }), 200);
  await json(await api('GET', '/v1/templates'), 200);

  // Sends: one with a template, tags and open tracking; a batch; a scheduled one, cancelled.
  const templated = await sendOk(
    platform,
    sampleEmail({
      to: `templated@${tag}.test`,
      subject: undefined,
      text: undefined,
      html: undefined,
      template: name,
      variables: { who: 'Ada' },
      tags: [{ name: 'tour', value: tag }],
    }),
  );
  const tracked = await sendOk(
    platform,
    sampleEmail({ to: `tracked@${tag}.test`, html: '<p>Hi</p>', tracking: { opens: true } }),
  );
  const batch = await json<{ data: { id: string }[] }>(
    await platform.send(
      Array.from({ length: 3 }, (_, i) => sampleEmail({ to: `batch${i}@${tag}.test` })),
      { path: '/v1/emails/batch' },
    ),
    200,
  );
  const later = new Date(Date.now() + 3_600_000).toISOString();
  const scheduled = await sendOk(platform, sampleEmail({ to: `later@${tag}.test`, scheduled_at: later }));
  const cancelled = await json<{ status: string }>(await api('DELETE', `/v1/emails/${scheduled}`), 200);
  expect(cancelled.status).toBe('cancelled');

  for (const id of [templated, tracked, ...batch.data.map((d) => d.id)]) {
    await waitForEmail(platform, id, 'delivered', 30_000);
  }
  const rendered = sink.messages.find((m) => m.envelope.rcptTo.includes(`templated@${tag}.test`));
  expect(rendered?.parsed.subject).toBe('Welcome, Ada');
  const found = await json<{ data: { id: string }[] }>(await api('GET', `/v1/emails?tag=tour:${tag}`), 200);
  expect(found.data.map((e) => e.id)).toEqual([templated]);

  // Tracking: the open pixel in the delivered HTML, served by this ingest.
  const html = String(
    sink.messages.find((m) => m.envelope.rcptTo.includes(`tracked@${tag}.test`))?.parsed.html,
  );
  const pixel = /src="([^"]*\/t\/o\/[^"]+)"/.exec(html)?.[1];
  expect(pixel).toBeDefined();
  const image = await fetch(String(pixel));
  expect(image.headers.get('content-type')).toBe('image/gif');
  await waitForEmail(platform, tracked, (e) => e.events.some((ev) => ev.type === 'opened'));

  // Suppressions: add, list, a send to it is suppressed, remove.
  const blocked = `blocked@${tag}.test`;
  await json(await api('POST', '/v1/suppressions', { email: blocked }), 201);
  const suppressions = await json<{ data: { email: string }[] }>(await api('GET', '/v1/suppressions'), 200);
  expect(suppressions.data.map((s) => s.email)).toContain(blocked);
  await waitForEmail(platform, await sendOk(platform, sampleEmail({ to: blocked })), 'suppressed');
  expect((await api('DELETE', `/v1/suppressions/${encodeURIComponent(blocked)}`)).status).toBe(204);

  // Feedback: a forwarded DSN bounces a delivered message (bounce queue); a forged provider call is refused.
  const bounced = batch.data[0]?.id ?? '';
  const report = await fetch(`${platform.url}/v1/inbound/dsn`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.keyA}`, 'content-type': 'message/rfc822' },
    body: dsn(bounced, `batch0@${tag}.test`),
  });
  expect(await json(report, 202)).toEqual({ accepted: 1 });
  await waitForEmail(platform, bounced, 'bounced');
  const forged = await fetch(`${platform.url}/v1/providers/mailgun`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature: { timestamp: '1', token: 'x', signature: 'y' }, 'event-data': {} }),
  });
  expect(forged.status).toBeGreaterThanOrEqual(400);
  expect(forged.status).toBeLessThan(500);

  // Webhooks: delivered and bounced events arrive signed (webhook queue); deliveries and replay answer.
  await waitUntil(() => receiver.ofType('email.bounced').find((w) => w.json.data.email_id === bounced), {
    timeoutMs: 20_000,
  });
  await json(await api('GET', `/v1/webhooks/${endpoint.id}/deliveries`), 200);
  const replay = await json<{ queued: number }>(
    await api('POST', `/v1/webhooks/${endpoint.id}/replay`, {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    }),
    202,
  );
  expect(replay.queued).toBeGreaterThan(0);

  // Analytics (analytics queue): the deliveries above are counted.
  await waitUntil(async () => {
    const query = `from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const result = await json<{ totals: Record<string, number> }>(
      await api('GET', `/v1/analytics?${query}`),
      200,
    );
    return (result.totals.delivered ?? 0) >= 5 && (result.totals.bounced ?? 0) >= 1;
  });

  // Removals last.
  expect((await api('DELETE', `/v1/templates/${name}`)).status).toBe(204);
  expect((await api('DELETE', `/v1/webhooks/${endpoint.id}`)).status).toBe(204);
  expect((await api('GET', `/v1/webhooks/${endpoint.id}`)).status).toBe(404);
}
