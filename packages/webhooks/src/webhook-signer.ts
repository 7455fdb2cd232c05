import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** What one outbound event is signed over. */
export interface SignWebhookInput {
  /** The event's stable id (`webhook-id`): the same on every retry, so receivers can deduplicate. */
  id: string;
  /** When this attempt is sent; receivers reject timestamps more than ~5 min off. */
  timestamp: Date;
  /** The exact bytes that will be POSTed; re-serialising would break the signature. */
  body: string;
  /** `whsec_…` secrets: the current one first, then previous ones still in their rotation grace period. */
  secrets: string[];
}

/**
 * Signs a webhook per the Standard Webhooks spec and returns the three headers
 * to send. `webhook-signature` carries one space-separated `v1,<base64>` entry
 * per secret, which the spec provides for key rotation: a receiver that still
 * holds the previous secret keeps verifying until it switches over.
 */
export function signWebhook({ id, timestamp, body, secrets }: SignWebhookInput): Record<string, string> {
  if (secrets.length === 0) throw new Error('signWebhook needs at least one secret');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * A new endpoint secret in the spec's format: `whsec_` followed by the base64
 * of 32 random bytes (the spec asks for 24 to 64 bytes of key material).
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
