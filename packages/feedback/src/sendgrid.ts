import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import * as v from 'valibot';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import type { FeedbackEvent } from './feedback-event';
import { sendgridEvents } from './sendgrid-events';

// Answering: see FEEDBACK_RESPONSE_STATUS.sendgrid — SendGrid retries every
// non-2xx for up to 24 h, so a 503 on our storage errors is retried.

/** The parts of a SendGrid Event Webhook request that verification needs. */
export interface SendgridRequest {
  /** The body exactly as received: the signature covers these bytes, not re-serialised JSON. */
  rawBody: string | Buffer;
  /** `X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA signature. */
  signature: string | null | undefined;
  /** `X-Twilio-Email-Event-Webhook-Timestamp`: Unix seconds. */
  timestamp: string | null | undefined;
}

/** Options of {@link verifySendgrid}. */
export interface SendgridVerifyOptions {
  /** The verification key from Mail Settings → Signed Event Webhook: base64 SPKI DER (PEM also accepted). */
  publicKey: string;
  /** Accepted distance between the signed timestamp and now; default 5 min. */
  toleranceMs?: number;
  now?: () => Date;
}

const Body = v.array(v.unknown());

/**
 * Verifies a SendGrid Signed Event Webhook request (ECDSA P-256 / SHA-256 over
 * timestamp + raw body) and maps its events. Events we do not track (processed,
 * deferred, unsubscribe, group_*) are skipped, as are events not shaped as
 * documented.
 * @throws FeedbackAuthError missing/bad signature or timestamp outside the window
 * @throws FeedbackFormatError the verified body is not a JSON array
 * @throws TypeError the configured public key is not a P-256 key (our configuration: answer 5xx)
 */
export function verifySendgrid(request: SendgridRequest, options: SendgridVerifyOptions): FeedbackEvent[] {
  const key = verificationKey(options.publicKey);
  const { signature, timestamp } = request;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) {
    throw new FeedbackAuthError('signature', 'SendGrid signature or timestamp header missing');
  }
  const now = options.now?.() ?? new Date();
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > (options.toleranceMs ?? 5 * 60_000)) {
    throw new FeedbackAuthError('stale', 'SendGrid timestamp outside the accepted window');
  }
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.from(request.rawBody)]);
  if (!verifies(signed, key, Buffer.from(signature, 'base64'))) {
    throw new FeedbackAuthError('signature', 'SendGrid signature does not match');
  }
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString());
  } catch (cause) {
    throw new FeedbackFormatError('SendGrid body is not JSON', { cause });
  }
  const body = v.safeParse(Body, json);
  if (!body.success) throw new FeedbackFormatError('SendGrid body is not an array of events');
  return sendgridEvents(body.output, now);
}

function verificationKey(publicKey: string): KeyObject {
  const text = publicKey.trim();
  let key: KeyObject;
  try {
    key = text.startsWith('-----BEGIN')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch (cause) {
    throw new TypeError('SendGrid verification key is not a public key', { cause });
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('SendGrid verification key must be an EC P-256 public key');
  }
  return key;
}

function verifies(data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false; // not DER at all: OpenSSL throws instead of saying no
  }
}
