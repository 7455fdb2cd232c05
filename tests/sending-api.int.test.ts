import { LIMITS } from '@mailq/contracts';
import { waitUntil } from '@mailq/testing';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendOk, statusOf, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { apiClient } from './support/api-client';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform();

const api = apiClient(() => env.platform);

describe('scheduling and cancelling', () => {
  it('holds a scheduled message until its time, then sends it', async () => {
    const at = new Date(Date.now() + 1_500).toISOString();
    const id = await sendOk(env.platform, sampleEmail({ to: 'later@schedule.test', scheduled_at: at }));
    const held = await statusOf(env.platform, id);
    expect(held.status).toBe('scheduled');
    expect(held.scheduled_at).toBe(at);
    const email = await waitForEmail(env.platform, id, 'delivered');
    const delivered = email.events.find((e) => e.type === 'delivered') as { at?: string } | undefined;
    expect(Date.parse(delivered?.at ?? '')).toBeGreaterThanOrEqual(Date.parse(at));
  });

  it('cancels a scheduled message, which then never sends', async () => {
    const at = new Date(Date.now() + 1_000).toISOString();
    const id = await sendOk(env.platform, sampleEmail({ to: 'never@schedule.test', scheduled_at: at }));
    const cancelled = await api('DELETE', `/v1/emails/${id}`);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await statusOf(env.platform, id)).status).toBe('cancelled');
    expect(env.sink.messages.some((m) => m.envelope.rcptTo.includes('never@schedule.test'))).toBe(false);
    expect((await api('DELETE', `/v1/emails/${id}`)).status).toBe(200); // idempotent
  });

  it('refuses to cancel once sent (409), and 404 for another tenant', async () => {
    const id = await sendOk(env.platform, sampleEmail({ to: 'gone@cancel.test' }));
    await waitForEmail(env.platform, id, 'delivered');
    const late = await api('DELETE', `/v1/emails/${id}`);
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('conflict');
    expect((await api('DELETE', `/v1/emails/${id}`, undefined, env.platform.keyB)).status).toBe(404);
  });

  it('refuses a schedule more than 30 days ahead', async () => {
    const at = new Date(Date.now() + 31 * 24 * 3600 * 1000).toISOString();
    const response = await env.platform.send(sampleEmail({ scheduled_at: at }));
    expect(response.status).toBe(400);
  });
});

describe('request size limit', () => {
  /** Posts a body over the single-send limit, declared up front or streamed chunked; resolves with the answer. */
  function oversizeSend(declared: boolean): Promise<{ status: number; body: string; sentBytes: number }> {
    const limit = LIMITS.maxSingleBodyBytes;
    const url = new URL('/v1/emails', env.platform.url);
    return new Promise((resolve, reject) => {
      let sentBytes = 0;
      let answered = false;
      const req = request(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${env.platform.keyA}`,
          'content-type': 'application/json',
          ...(declared ? { 'content-length': String(limit + 1) } : {}),
        },
      });
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, sentBytes });
          req.destroy();
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = () => {
        // Declared: one chunk, then wait — the answer must come from the header alone.
        while (!answered && sentBytes <= limit && (!declared || sentBytes === 0)) {
          sentBytes += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      pump();
    });
  }

  it('refuses a declared Content-Length over the limit with 413 before the body is sent', async () => {
    const answer = await oversizeSend(true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(answer.sentBytes).toBe(64 * 1024);
  });

  it('refuses a chunked body with 413 once it grows past the limit', async () => {
    const answer = await oversizeSend(false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(answer.sentBytes).toBeGreaterThan(LIMITS.maxSingleBodyBytes);
  });
});

describe('templates', () => {
  it('renders a stored template with HTML escaping and sends it', async () => {
    const created = await api('POST', '/v1/templates', {
      name: 'welcome',
      subject: 'Welcome, {{name}}!',
      html: '<p>Hello {{name}}, your plan is {{plan.title}}.</p>',
      text: 'Hello {{name}}',
    });
    expect(created.status).toBe(201);
    const id = await sendOk(env.platform, {
      from: 'app@example.com',
      to: 'reader@template.test',
      template: 'welcome',
      variables: { name: '<script>alert(1)</script>', plan: { title: 'Pro & more' } },
    });
    await waitForEmail(env.platform, id, 'delivered');
    const message = env.sink.messages.find((m) => m.envelope.rcptTo.includes('reader@template.test'));
    expect(message?.parsed.subject).toBe('Welcome, <script>alert(1)</script>!');
    expect(message?.parsed.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message?.parsed.html).toContain('Pro &amp; more');
    expect(message?.parsed.text?.trim()).toBe('Hello <script>alert(1)</script>');
  });

  it('answers 400 for a missing variable and 409 for a duplicate name; tenants do not see each other', async () => {
    const missing = await env.platform.send({
      from: 'a@example.com',
      to: 'x@template.test',
      template: 'welcome',
      variables: {},
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('name');
    const dup = await api('POST', '/v1/templates', { name: 'welcome', subject: 'x', text: 'y' });
    expect(dup.status).toBe(409);
    expect((await api('GET', '/v1/templates/welcome', undefined, env.platform.keyB)).status).toBe(404);
    const list = (await (await api('GET', '/v1/templates')).json()) as { data: { name: string }[] };
    expect(list.data.map((t) => t.name)).toEqual(['welcome']);
  });
});

describe('suppressions API', () => {
  it('adds, lists with a cursor, blocks sends, and removes', async () => {
    for (const email of ['a@supp.test', 'b@supp.test', 'c@supp.test']) {
      expect((await api('POST', '/v1/suppressions', { email, reason: 'unsubscribe' })).status).toBe(201);
    }
    const first = (await (await api('GET', '/v1/suppressions?limit=2')).json()) as {
      data: { email: string; reason: string; source: string }[];
      next_cursor: string | null;
    };
    expect(first.data.map((s) => s.email)).toEqual(['a@supp.test', 'b@supp.test']);
    expect(first.data[0]?.source).toBe('api');
    const second = (await (
      await api('GET', `/v1/suppressions?limit=2&cursor=${first.next_cursor}`)
    ).json()) as {
      data: { email: string }[];
      next_cursor: string | null;
    };
    expect(second.data.map((s) => s.email)).toEqual(['c@supp.test']);
    expect(second.next_cursor).toBeNull();

    const id = await sendOk(env.platform, sampleEmail({ to: 'a@supp.test' }));
    expect((await waitForEmail(env.platform, id, 'suppressed')).recipients[0]?.status).toBe('suppressed');

    expect((await api('DELETE', '/v1/suppressions/a@supp.test')).status).toBe(204);
    expect((await api('DELETE', '/v1/suppressions/a@supp.test')).status).toBe(404);
    expect((await api('POST', '/v1/suppressions', { email: 'not-an-address' })).status).toBe(400);
  });
});

describe('search and message details', () => {
  it('finds messages by tag, recipient and status, newest first, with cursor pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await sendOk(
          env.platform,
          sampleEmail({
            to: `reader${i}@search.test`,
            tags: [{ name: 'batch', value: i % 2 ? 'odd' : 'even' }],
          }),
        ),
      );
    }
    await waitUntil(async () => {
      const page = (await (await api('GET', '/v1/emails?tag=batch:even&status=delivered')).json()) as {
        data: unknown[];
      };
      return page.data.length === 3;
    });
    const even = (await (await api('GET', '/v1/emails?tag=batch:even&limit=2')).json()) as {
      data: { id: string }[];
      next_cursor: string;
    };
    expect(even.data.map((e) => e.id)).toEqual([ids[4], ids[2]]);
    const rest = (await (
      await api('GET', `/v1/emails?tag=batch:even&limit=2&cursor=${even.next_cursor}`)
    ).json()) as {
      data: { id: string }[];
    };
    expect(rest.data.map((e) => e.id)).toEqual([ids[0]]);
    const byRecipient = (await (await api('GET', '/v1/emails?to=READER3@search.test')).json()) as {
      data: { id: string }[];
    };
    expect(byRecipient.data.map((e) => e.id)).toEqual([ids[3]]);
    const foreign = (await (
      await api('GET', '/v1/emails?to=reader3@search.test', undefined, env.platform.keyB)
    ).json()) as {
      data: unknown[];
    };
    expect(foreign.data).toEqual([]);
    expect((await api('GET', '/v1/emails?status=nonsense')).status).toBe(400);
  });

  it('sends inline attachments with their Content-ID', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
    const id = await sendOk(
      env.platform,
      sampleEmail({
        to: 'inline@attach.test',
        html: '<img src="cid:logo@mailq">',
        attachments: [
          { filename: 'logo.png', content: png, content_type: 'image/png', content_id: 'logo@mailq' },
        ],
      }),
    );
    await waitForEmail(env.platform, id, 'delivered');
    const message = env.sink.messages.find((m) => m.envelope.rcptTo.includes('inline@attach.test'));
    const attachment = message?.parsed.attachments[0];
    expect(attachment?.contentId).toBe('<logo@mailq>');
    expect(attachment?.contentDisposition).toBe('inline');
  });
});
