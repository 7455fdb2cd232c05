import { RELAY_HEADERS, RELAY_MAX_SKEW_S } from '@mailq/contracts';
import { encodeBase64Url, decodeBase64Url } from './base64url';

// Signs the edge ingest's calls to the relay: HMAC-SHA256 over a version tag, the method, the
// path, the timestamp, a random nonce and the body. The relay refuses a bad MAC, a timestamp
// outside ±RELAY_MAX_SKEW_S, and (with its own nonce store) a nonce it has seen before.
const VERSION = 'v1';

const encoder = new TextEncoder();
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    keys.set(secret, key);
  }
  return key;
}

export interface RelayRequestParts {
  method: string;
  /** Path and query, exactly as sent (`/internal/v1/rpc/emails.send`). */
  path: string;
  /** Unix seconds. */
  timestamp: number;
  nonce: string;
  body: string;
}

function signedText(parts: RelayRequestParts): Uint8Array {
  return encoder.encode(
    [VERSION, parts.method.toUpperCase(), parts.path, String(parts.timestamp), parts.nonce, parts.body].join(
      '\n',
    ),
  );
}

/** The headers that authenticate one relay request. */
export async function signRelayRequest(
  request: Omit<RelayRequestParts, 'timestamp' | 'nonce'>,
  secret: string,
  now: () => number = Date.now,
): Promise<Record<string, string>> {
  const parts: RelayRequestParts = {
    ...request,
    timestamp: Math.floor(now() / 1000),
    nonce: encodeBase64Url(crypto.getRandomValues(new Uint8Array(16))),
  };
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), signedText(parts));
  return {
    [RELAY_HEADERS.timestamp]: String(parts.timestamp),
    [RELAY_HEADERS.nonce]: parts.nonce,
    [RELAY_HEADERS.signature]: `${VERSION}=${encodeBase64Url(new Uint8Array(mac))}`,
  };
}

export type RelayVerification =
  | { ok: true; nonce: string; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'bad_signature' };

/**
 * Checks a relay request's signature and freshness. Replay inside the freshness window is the
 * caller's to refuse: it must remember `nonce` for RELAY_MAX_SKEW_S × 2 and refuse a repeat.
 */
export async function verifyRelayRequest(
  request: { method: string; path: string; body: string; header(name: string): string | undefined },
  secret: string,
  now: () => number = Date.now,
): Promise<RelayVerification> {
  const timestampText = request.header(RELAY_HEADERS.timestamp);
  const nonce = request.header(RELAY_HEADERS.nonce);
  const signature = request.header(RELAY_HEADERS.signature);
  if (!timestampText || !nonce || !signature) return { ok: false, reason: 'missing' };
  const mac = signature.startsWith(`${VERSION}=`)
    ? decodeBase64Url(signature.slice(VERSION.length + 1))
    : null;
  if (!/^\d{1,12}$/.test(timestampText) || !/^[A-Za-z0-9_-]{16,64}$/.test(nonce) || !mac) {
    return { ok: false, reason: 'malformed' };
  }
  const timestamp = Number(timestampText);
  if (Math.abs(now() / 1000 - timestamp) > RELAY_MAX_SKEW_S) return { ok: false, reason: 'stale' };
  const parts = { method: request.method, path: request.path, timestamp, nonce, body: request.body };
  // crypto.subtle.verify compares in constant time.
  const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), mac, signedText(parts));
  return valid ? { ok: true, nonce, timestamp } : { ok: false, reason: 'bad_signature' };
}
