import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits';
import { base64DecodedBytes, messageSizeBytes, SendEmailRequest } from './send-email';

const base = { from: 'a@example.com', to: 'b@example.com', subject: 'Hi', text: 'x' };

describe('SendEmailRequest', () => {
  it('normalises to, cc, bcc and reply_to to lists', () => {
    const parsed = v.parse(SendEmailRequest, { ...base, cc: 'c@example.com' });
    expect(parsed.to).toEqual(['b@example.com']);
    expect(parsed.cc).toEqual(['c@example.com']);
  });

  it('accepts every documented field', () => {
    const full = {
      ...base,
      html: '<p>x</p>',
      bcc: ['d@example.com'],
      reply_to: 'r@example.com',
      headers: { 'X-Entity-Ref-ID': '123', 'List-Unsubscribe': '<mailto:u@example.com>' },
      attachments: [{ filename: 'a.pdf', content: 'aGVsbG8=', content_type: 'application/pdf' }],
      tags: [{ name: 'category', value: 'welcome' }],
      metadata: { user_id: '42' },
      tracking: { opens: true, clicks: false },
    };
    expect(v.safeParse(SendEmailRequest, full).success).toBe(true);
  });

  it('counts recipients across to, cc and bcc against the limit', () => {
    const many = (n: number, p: string) => Array.from({ length: n }, (_, i) => `${p}${i}@example.com`);
    const atLimit = {
      ...base,
      to: many(30, 't'),
      cc: many(10, 'c'),
      bcc: many(LIMITS.maxRecipients - 40, 'b'),
    };
    expect(v.safeParse(SendEmailRequest, atLimit).success).toBe(true);
    const over = { ...atLimit, bcc: many(LIMITS.maxRecipients - 39, 'b') };
    expect(v.safeParse(SendEmailRequest, over).success).toBe(false);
  });

  it('measures decoded sizes', () => {
    expect(base64DecodedBytes('aGVsbG8=')).toBe(5);
    expect(base64DecodedBytes('aGk=')).toBe(2);
    const parsed = v.parse(SendEmailRequest, {
      ...base,
      text: 'héllo',
      attachments: [{ filename: 'a', content: 'aGk=' }],
    });
    expect(messageSizeBytes(parsed)).toBe(6 + 2);
  });
});
