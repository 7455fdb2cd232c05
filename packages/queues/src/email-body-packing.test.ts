import { randomBytes } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { PACK_BODY_BYTES, packEmailJob } from './email-body-packing';
import type { EmailJob } from './job-payloads';
import { parsePayload } from './queue-factory';

function jobWith(email: Partial<EmailJob['email']>): EmailJob {
  return {
    tenantId: 'tn_1',
    id: 'msg-1',
    messageIdHeader: '<msg-1@acme.example>',
    acceptedAt: '2026-11-26T12:00:00.000Z',
    email: { from: 'Acme <noreply@acme.example>', to: ['bob@example.org'], subject: 'Receipt', ...email },
  };
}

const rows = Array.from({ length: 120 }, (_, i) => `<tr><td>Item ${i}</td><td>${i * 3}.00 EUR</td></tr>`);
const html = `<table>${rows.join('')}</table>`;
const text = rows.map((_, i) => `Item ${i}: ${i * 3}.00 EUR`).join('\n');

describe('packEmailJob', () => {
  it('stores a small message as it is', () => {
    const job = jobWith({ text: 'Thanks!', html: '<p>Thanks!</p>' });
    expect(packEmailJob(job)).toBe(job);
  });

  it('deflates a large text and HTML into `body`, and parsing gives the same job back', () => {
    const job = jobWith({ text, html, tags: [{ name: 'kind', value: 'receipt' }] });
    expect(text.length + html.length).toBeGreaterThan(PACK_BODY_BYTES);
    const stored = packEmailJob(job);
    expect(stored).toMatchObject({ id: 'msg-1', tenantId: 'tn_1', email: { to: ['bob@example.org'] } });
    expect(stored.email).not.toHaveProperty('html');
    expect(stored.email).not.toHaveProperty('text');
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(job).length / 3);
    expect(parsePayload('email', JSON.parse(JSON.stringify(stored)))).toEqual(job);
  });

  it('keeps attachments out of the packed body', () => {
    const attachments = [{ filename: 'a.bin', content: randomBytes(3_000).toString('base64') }];
    const stored = packEmailJob(jobWith({ html, attachments }));
    expect(stored.email.attachments).toEqual(attachments);
    expect(parsePayload('email', stored).email).toMatchObject({ html, attachments });
  });

  it('leaves a body that would not get smaller as it is', () => {
    const job = jobWith({ text: randomBytes(6_000).toString('base64') });
    expect(packEmailJob(job)).toBe(job);
  });

  it('fails a job whose packed body is damaged for good, instead of retrying it', () => {
    const stored = { ...packEmailJob(jobWith({ html })), body: 'bm90IGRlZmxhdGVk' };
    expect(() => parsePayload('email', stored)).toThrow(UnrecoverableError);
    expect(() => parsePayload('email', stored)).toThrow(/invalid email job payload/);
  });
});
