import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from './webhook-signer';

const body = JSON.stringify({
  type: 'email.delivered',
  created_at: '2025-01-01T00:00:00Z',
  data: { id: 'm_1' },
});

describe('signWebhook', () => {
  it('produces one v1 signature per secret, each verifiable by the reference library', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_1', timestamp: new Date(), body, secrets: [current, previous] });

    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('sends the timestamp in whole seconds', () => {
    const timestamp = new Date('2025-03-04T05:06:07.890Z');
    const headers = signWebhook({ id: 'msg_2', timestamp, body, secrets: [generateWebhookSecret()] });
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(timestamp.getTime() / 1000)));
    expect(headers['webhook-id']).toBe('msg_2');
  });

  it('fails verification for a tampered body, another secret, or another id', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook({ id: 'msg_3', timestamp: new Date(), body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace('m_1', 'm_2'), headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_4' })).toThrow(
      WebhookVerificationError,
    );
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook({ id: 'x', timestamp: new Date(), body, secrets: [] })).toThrow(
      /at least one secret/,
    );
  });
});

describe('generateWebhookSecret', () => {
  it('is whsec_ plus base64 of 32 random bytes, different every time', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});
