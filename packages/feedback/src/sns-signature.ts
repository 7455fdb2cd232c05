import { X509Certificate, verify } from 'node:crypto';
import * as v from 'valibot';
import { FeedbackAuthError } from './errors';

/** An Amazon SNS HTTP(S) message (the JSON body SNS POSTs, sent as text/plain). */
export const SnsMessage = v.looseObject({
  Type: v.picklist(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: v.string(),
  TopicArn: v.string(),
  Message: v.string(),
  Timestamp: v.string(),
  SignatureVersion: v.string(),
  Signature: v.string(),
  SigningCertURL: v.string(),
  Subject: v.optional(v.nullable(v.string())),
  Token: v.optional(v.string()),
  SubscribeURL: v.optional(v.string()),
  UnsubscribeURL: v.optional(v.string()),
});
export type SnsMessage = v.InferOutput<typeof SnsMessage>;

// The only hosts SNS signs from; anything looser (a suffix match, a regex
// without anchors) lets an attacker host a certificate of their own.
const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** True when `url` is https on an SNS regional host (exact match, no port, no credentials). */
export function isSnsUrl(url: URL): boolean {
  return url.protocol === 'https:' && SNS_HOST.test(url.hostname) && url.port === '' && !url.username;
}

/**
 * Checks the SigningCertURL before anything is fetched from it.
 * @throws FeedbackAuthError `certificate`
 */
export function signingCertUrl(message: SnsMessage): URL {
  const url = URL.canParse(message.SigningCertURL) ? new URL(message.SigningCertURL) : undefined;
  if (!url || !isSnsUrl(url) || !url.pathname.endsWith('.pem')) {
    throw new FeedbackAuthError('certificate', 'SigningCertURL is not an SNS https URL of a .pem file');
  }
  return url;
}

// The string SNS signs: "Key\nvalue\n" for each field, in this (byte) order.
// Notifications omit Subject when it is absent; confirmations sign the
// SubscribeURL and Token instead of Subject.
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;

/** The canonical string SNS signed for this message. */
export function snsStringToSign(message: SnsMessage): string {
  const fields = message.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let text = '';
  for (const field of fields) {
    const value = message[field];
    if (typeof value === 'string') text += `${field}\n${value}\n`;
  }
  return text;
}

const DIGEST: Record<string, string> = { '1': 'sha1', '2': 'sha256' };

/**
 * Verifies the message's signature with the signing certificate (PEM).
 * @throws FeedbackAuthError `signature` (bad version or signature) or `certificate` (unusable or expired)
 */
export function verifySnsSignature(message: SnsMessage, certificatePem: string, now: Date): void {
  const digest = DIGEST[message.SignatureVersion];
  if (!digest) throw new FeedbackAuthError('signature', 'SignatureVersion must be "1" or "2"');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (cause) {
    throw new FeedbackAuthError('certificate', `signing certificate unreadable: ${String(cause)}`);
  }
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new FeedbackAuthError('certificate', 'signing certificate is not valid now');
  }
  const signature = Buffer.from(message.Signature, 'base64');
  const data = Buffer.from(snsStringToSign(message), 'utf8');
  if (!verifies(digest, data, certificate, signature)) {
    throw new FeedbackAuthError('signature', 'SNS signature does not match');
  }
}

function verifies(digest: string, data: Buffer, certificate: X509Certificate, signature: Buffer): boolean {
  try {
    return verify(digest, data, certificate.publicKey, signature);
  } catch {
    return false; // a signature that is not even the key's size: OpenSSL throws rather than say no
  }
}
