import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from './capture-server';
import { escapeHtml } from './outbox-page';
import type { OutboxEntry } from './outbox-reader';
import { outboxRoutes } from './outbox-routes';

const SUBJECT = 'Reset <script>alert("x")</script> & more';

interface Listing {
  messages: Omit<OutboxEntry, 'preview'>[];
}

describe('outbox routes', () => {
  let dir: string;
  let capture: CaptureServer;
  let app: Hono;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailq-outbox-'));
    capture = await startCaptureServer({ dir });
    const transport = nodemailer.createTransport({ url: capture.url });
    await transport.sendMail({
      from: 'App <app@example.com>',
      to: 'alice@example.com',
      bcc: 'hidden@example.com',
      subject: SUBJECT,
      text: 'Click <b>here</b> to reset your password.',
      messageId: '<outbox-test-1@example.com>',
    });
    transport.close();
    // Leftovers the outbox must never list or serve.
    await writeFile(join(dir, 'half-written.eml.tmp'), 'partial');
    await writeFile(join(dir, 'notes.txt'), 'not mail');
    app = new Hono().route('/dev/outbox', outboxRoutes(dir));
  });

  afterAll(async () => {
    await capture?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function listing(): Promise<Listing> {
    const res = await app.request('/dev/outbox');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return (await res.json()) as Listing;
  }

  it('lists captured messages as JSON by default', async () => {
    const { messages } = await listing();
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message).toMatchObject({
      from: '"App" <app@example.com>',
      to: 'alice@example.com',
      subject: SUBJECT,
      messageId: '<outbox-test-1@example.com>',
    });
    expect(message?.file).toMatch(/\.eml$/);
    expect(message?.size).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(message?.date ?? ''))).toBe(false);
  });

  it('lists newest first', async () => {
    const transport = nodemailer.createTransport({ url: capture.url });
    await transport.sendMail({
      from: 'app@example.com',
      to: 'bob@example.com',
      subject: 'Second',
      text: '2',
    });
    transport.close();
    const { messages } = await listing();
    expect(messages.map((m) => m.subject)).toEqual(['Second', SUBJECT]);
  });

  it('answers a browser with an HTML page that escapes every value', async () => {
    const res = await app.request('/dev/outbox', {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain(escapeHtml(SUBJECT));
    expect(page).toContain('Reset &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(page).not.toContain('<script>');
    expect(page).toContain('Click &lt;b&gt;here&lt;/b&gt; to reset your password.');
    const { messages } = await listing();
    expect(page).toContain(`href="/dev/outbox/${messages[1]?.file}"`);
  });

  it('?format=json forces JSON even for a browser', async () => {
    const res = await app.request('/dev/outbox?format=json', { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('serves the raw .eml as message/rfc822', async () => {
    const { messages } = await listing();
    const file = messages.find((m) => m.subject === SUBJECT)?.file ?? '';
    const res = await app.request(`/dev/outbox/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    const raw = await res.text();
    expect(raw.startsWith('X-Mailq-Envelope-From: app@example.com\r\n')).toBe(true);
    expect(raw).toContain('hidden@example.com');
    expect(raw).toContain('Message-ID: <outbox-test-1@example.com>');
  });

  it.each([
    '/dev/outbox/..%2F..%2Fetc%2Fpasswd',
    '/dev/outbox/..%2Fetc%2Fpasswd.eml',
    '/dev/outbox/notes.txt',
    '/dev/outbox/half-written.eml.tmp',
    '/dev/outbox/missing.eml',
    '/dev/outbox/a/b.eml',
  ])('answers 404 for %s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: expect.any(String) },
    });
  });
});
