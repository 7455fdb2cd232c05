import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { FeedbackEvent, ourMessageId } from './feedback-event';

describe('ourMessageId', () => {
  const id = '6f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

  it('returns the UUID local part of our Message-IDs', () => {
    expect(ourMessageId(`<${id}@acme.test>`)).toBe(id);
    expect(ourMessageId(` <${id}@mail.acme.test> `)).toBe(id);
  });

  it('accepts the header without brackets and any letter case', () => {
    expect(ourMessageId(`${id.toUpperCase()}@acme.test`)).toBe(id);
  });

  it('returns undefined for Message-IDs written by others', () => {
    expect(ourMessageId('<20240312101531.4XyZ1j6QqRz1xyz@mail.example.net>')).toBeUndefined();
    expect(ourMessageId(`<${id}>`)).toBeUndefined();
    expect(ourMessageId(`<x${id}@acme.test>`)).toBeUndefined();
    expect(ourMessageId('')).toBeUndefined();
  });
});

describe('FeedbackEvent', () => {
  const event = {
    provider: 'dsn',
    providerEventId: 'abc:ada@example.net',
    type: 'bounced',
    bounceType: 'hard',
    recipient: 'ada@example.net',
    occurredAt: '2024-03-12T10:15:31.000Z',
    status: '5.1.1',
  };

  it('accepts a well-formed event', () => {
    expect(v.is(FeedbackEvent, event)).toBe(true);
  });

  it('rejects unknown types, non-ISO times, malformed status codes and overlong reasons', () => {
    expect(v.is(FeedbackEvent, { ...event, type: 'deferred' })).toBe(false);
    expect(v.is(FeedbackEvent, { ...event, occurredAt: 'yesterday' })).toBe(false);
    expect(v.is(FeedbackEvent, { ...event, status: '550' })).toBe(false);
    expect(v.is(FeedbackEvent, { ...event, reason: 'x'.repeat(1001) })).toBe(false);
  });
});
