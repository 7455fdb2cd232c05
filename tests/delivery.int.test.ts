import { createQueue } from '@mailq/queues';
import { waitUntil } from '@mailq/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform();

afterEach(() => {
  env.sink.replyWith(undefined);
  env.sink.clear();
});

async function statusOf(id: string) {
  const response = await env.platform.getEmail(id);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    message_id: string;
    recipients: { address: string; status: string; reply?: string }[];
    events: { type: string; reply?: string }[];
  };
}

async function waitForStatus(id: string, status: string) {
  return waitUntil(
    async () => {
      const email = await statusOf(id);
      return email.status === status ? email : undefined;
    },
    { message: `message ${id} never reached ${status}` },
  );
}

describe('HTTP → relay → Redis → worker → SMTP', () => {
  it('delivers a message with its headers, bodies, attachment and the Message-ID fixed at acceptance', async () => {
    const response = await env.platform.send(
      sampleEmail({
        to: ['Ada <ada@example.net>', 'bob@example.org'],
        cc: 'carol@example.com',
        bcc: ['dave@example.com'],
        reply_to: 'replies@example.com',
        headers: { 'X-Campaign': 'welcome' },
        attachments: [
          {
            filename: 'hello.txt',
            content: Buffer.from('attached!').toString('base64'),
            content_type: 'text/plain',
          },
        ],
      }),
    );
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };

    // One SMTP transaction per recipient domain, each carrying the same message.
    const received = await env.sink.waitFor(3);
    expect(received.flatMap((m) => m.envelope.rcptTo).sort()).toEqual(
      ['ada@example.net', 'bob@example.org', 'carol@example.com', 'dave@example.com'].sort(),
    );
    expect(new Set(received.map((m) => m.parsed.messageId))).toEqual(new Set([`<${id}@example.com>`]));
    const message = received.find((m) => m.envelope.rcptTo.includes('carol@example.com'));
    expect(message?.envelope.rcptTo.sort()).toEqual(['carol@example.com', 'dave@example.com']);
    expect(message?.envelope.mailFrom).toBe('sender@example.com');
    expect(message?.parsed.to).toBeDefined();
    const parsed = message!.parsed;
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toContain('bob@example.org');
    expect(parsed.subject).toBe('Hello from Mail Queue');
    expect(parsed.text?.trim()).toBe('Plain body');
    expect(parsed.html).toContain('<p>HTML body</p>');
    expect(parsed.headers.get('x-campaign')).toBe('welcome');
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.replyTo?.text).toBe('replies@example.com');
    expect(parsed.attachments[0]?.content.toString()).toBe('attached!');
    expect(parsed.messageId).toBe(`<${id}@example.com>`);

    const email = await waitForStatus(id, 'delivered');
    expect(email.message_id).toBe(`<${id}@example.com>`);
    expect(email.recipients).toHaveLength(4);
    for (const recipient of email.recipients) {
      expect(recipient.status).toBe('delivered');
      expect(recipient.reply).toMatch(/^250/);
    }
    expect(email.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['accepted', 'attempt', 'delivered']),
    );
  });

  it('delivers a large HTML message, stored with its body deflated in the job, as it was sent', async () => {
    const rows = Array.from(
      { length: 250 },
      (_, i) => `<tr><td style="padding:4px">Item ${i}</td><td>${(i * 7.3).toFixed(2)} EUR</td></tr>`,
    );
    const html = `<html><body><table style="border-collapse:collapse">${rows.join('')}</table></body></html>`;
    const text = rows.map((_, i) => `Item ${i}: ${(i * 7.3).toFixed(2)} EUR`).join('\n');
    const response = await env.platform.send(sampleEmail({ html, text }));
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };

    const queue = createQueue('email', env.platform.redis, env.platform.namespace);
    const stored = await queue.getJob(id);
    await queue.close();
    const data = stored?.data as { body?: string; email: Record<string, unknown> };
    expect(data.email).not.toHaveProperty('html');
    expect(data.body?.length).toBeLessThan((html.length + text.length) / 3);

    const [message] = await env.sink.waitFor(1);
    expect(message?.parsed.html).toBe(html);
    expect(message?.parsed.text?.trim()).toBe(text);
    await waitForStatus(id, 'delivered');
  });

  it('defers on 451, retries with the same Message-ID and then delivers', async () => {
    env.sink.failNext('data', { code: 451, message: '4.3.0 Try again later' });
    const response = await env.platform.send(sampleEmail());
    const { id } = (await response.json()) as { id: string };

    const email = await waitForStatus(id, 'delivered');
    expect(env.sink.stats.dataAttempts).toBeGreaterThanOrEqual(2);
    const deferred = email.events.find((e) => e.type === 'deferred');
    expect(deferred?.reply).toContain('451');
    expect(email.events.filter((e) => e.type === 'attempt')).toHaveLength(2);
    expect(env.sink.messages).toHaveLength(1);
    expect(env.sink.messages[0]?.parsed.messageId).toBe(email.message_id);
  });

  it('bounces on 550 5.1.1 without retrying, and suppresses the address for later sends', async () => {
    env.sink.replyWith(({ stage }) =>
      stage === 'data' ? { code: 550, message: '5.1.1 No such user' } : undefined,
    );
    const response = await env.platform.send(sampleEmail({ to: 'gone@example.net' }));
    const { id } = (await response.json()) as { id: string };

    const email = await waitForStatus(id, 'bounced');
    expect(email.recipients[0]?.reply).toContain('550');
    const bounce = email.events.find((e) => e.type === 'bounced') as { detail?: string } | undefined;
    expect(bounce?.detail).toContain('5.1.1');
    // Give a retry (100 ms backoff) ample time to happen if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await statusOf(id);
    expect(after.events.filter((e) => e.type === 'attempt')).toHaveLength(1);
    expect(env.sink.stats.dataAttempts).toBe(1);

    env.sink.replyWith(undefined);
    const again = await env.platform.send(sampleEmail({ to: ['gone@example.net', 'ada@example.net'] }));
    const second = await waitForStatus(((await again.json()) as { id: string }).id, 'delivered');
    const states = Object.fromEntries(second.recipients.map((r) => [r.address, r.status]));
    expect(states).toEqual({ 'gone@example.net': 'suppressed', 'ada@example.net': 'delivered' });
    expect(env.sink.messages.flatMap((m) => m.envelope.rcptTo)).toEqual(['ada@example.net']);
  });

  it('delivers to accepted recipients and bounces only the one refused at RCPT', async () => {
    env.sink.replyWith(({ stage, rcpt }) =>
      stage === 'rcpt' && rcpt === 'nobody@example.net'
        ? { code: 550, message: '5.1.1 Unknown user' }
        : undefined,
    );
    const response = await env.platform.send(sampleEmail({ to: ['ada@example.net', 'nobody@example.net'] }));
    const { id } = (await response.json()) as { id: string };
    const email = await waitUntil(async () => {
      const current = await statusOf(id);
      return current.recipients.every((r) => r.status === 'delivered' || r.status === 'bounced')
        ? current
        : undefined;
    });
    const byAddress = Object.fromEntries(email.recipients.map((r) => [r.address, r.status]));
    expect(byAddress).toEqual({ 'ada@example.net': 'delivered', 'nobody@example.net': 'bounced' });
    expect(env.sink.messages[0]?.envelope.rcptTo).toEqual(['ada@example.net']);
  });

  it('accepts a batch and answers per item', async () => {
    const response = await env.platform.send(
      [sampleEmail({ subject: 'one' }), { to: 'x' }, sampleEmail({ subject: 'three' })],
      {
        path: '/v1/emails/batch',
      },
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: Array<{ index: number; id?: string; error?: { code: string } }>;
    };
    expect(data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(data[0]?.id).toBeTypeOf('string');
    expect(data[1]?.error?.code).toBe('invalid_request');
    expect(data[2]?.id).toBeTypeOf('string');
    const received = await env.sink.waitFor(2);
    expect(received.map((m) => m.parsed.subject).sort()).toEqual(['one', 'three']);
  });

  it('marks recipients failed when a job fails for good without a recorded outcome (no message stays "sending")', async () => {
    const id = 'broken-payload-1';
    await env.platform.stores.messages.create({
      id,
      tenantId: (await env.platform.stores.apiKeys.resolve(env.platform.keyA))?.tenantId ?? '',
      from: 'sender@example.com',
      subject: 'Broken',
      messageIdHeader: `<${id}@example.com>`,
      createdAt: new Date().toISOString(),
      recipients: ['ada@example.net'],
      tags: [],
      metadata: {},
    });
    // A payload written by some other version that no longer parses.
    const queue = createQueue('email', env.platform.redis, env.platform.namespace);
    await queue.add('email', { id, unexpected: true }, { jobId: id, attempts: 3 });
    await queue.close();

    const email = await waitForStatus(id, 'failed');
    expect(email.recipients[0]?.reply).toContain('invalid email job payload');
    expect(email.events.filter((e) => e.type === 'failed')).toHaveLength(1);
    expect(env.sink.messages).toHaveLength(0);
  });
});
