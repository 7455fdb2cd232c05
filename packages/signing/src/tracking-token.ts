import { decodeBase64Url, encodeBase64Url } from './base64url';
import { readClaims } from './tracking-claims';
import type { TrackingClaims } from './tracking-claims';
import { KEY_ID_PATTERN, keyProblem } from './tracking-keys';
import type { TrackingKey, TrackingKeys } from './tracking-keys';

// Mixed into every MAC so a tracking secret reused elsewhere (webhook signing, say) can never
// produce a MAC that is also valid here, and so a future format can change it.
const CONTEXT = 'mailq-tracking-v1.';
const MAC_BYTES = 32;
// Claims with a 4 KB ASCII URL encode to under 6 KB. Signing refuses to go past this length,
// so verification can refuse anything longer unread.
const TOKEN_MAX = 8192;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

// The global CryptoKey type is DOM-lib only; @types/node types `crypto.subtle` but exports the
// type solely from `node:crypto`, which this runtime-neutral package must not import.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

// importKey once per key object; TrackingKeys come from config parsed once at start and are
// treated as immutable.
const cryptoKeys = new WeakMap<TrackingKey, Promise<HmacKey>>();

function hmacKey(key: TrackingKey): Promise<HmacKey> {
  let imported = cryptoKeys.get(key);
  if (!imported) {
    imported = crypto.subtle.importKey(
      'raw',
      encoder.encode(key.secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    cryptoKeys.set(key, imported);
  }
  return imported;
}

function findKey(keys: TrackingKeys, id: string): TrackingKey | undefined {
  if (keys.current.id === id) return keys.current;
  return keys.previous?.find((key) => key.id === id);
}

/**
 * Signs claims into a URL-safe token `base64url(JSON).keyId.base64url(HMAC-SHA256)` with the
 * current key. The token is self-contained: the tracking route needs no database lookup.
 *
 * @throws TypeError when the claims do not fit the strict shape, above all a click URL that is
 *   not absolute http: or https: (`javascript:`, `data:`, relative...), or when the current key
 *   has a malformed id or a short secret, or when the token would be too long to verify.
 */
export async function signTrackingToken(claims: TrackingClaims, keys: TrackingKeys): Promise<string> {
  const checked = readClaims(claims);
  if ('problem' in checked) throw new TypeError(`tracking claims: ${checked.problem}`);
  const keyError = keyProblem(keys.current);
  if (keyError) throw new TypeError(`tracking key: ${keyError}`);
  const payload = encodeBase64Url(encoder.encode(JSON.stringify(checked.claims)));
  const signed = `${payload}.${keys.current.id}`;
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(keys.current), encoder.encode(CONTEXT + signed));
  const token = `${signed}.${encodeBase64Url(new Uint8Array(mac))}`;
  // Multi-byte characters can push a URL within URL_MAX past what verification reads.
  if (token.length > TOKEN_MAX)
    throw new TypeError(`tracking claims: token would exceed ${TOKEN_MAX} characters`);
  return token;
}

/**
 * Verifies a token against the current and every previous key and returns its claims, or null
 * when anything is off: malformed, unknown key id, bad MAC (compared in constant time by
 * `crypto.subtle.verify`), claims outside the strict shape, another kind than `expected.kind`,
 * or a click URL that is not http:/https:. Null means "answer 404": a tampered or foreign token
 * never becomes a redirect.
 */
export async function verifyTrackingToken(
  token: string,
  keys: TrackingKeys,
  expected?: { kind: 'o' | 'c' },
): Promise<TrackingClaims | null> {
  if (token.length > TOKEN_MAX) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [payload = '', keyId = '', macText = ''] = parts;
  if (!KEY_ID_PATTERN.test(keyId)) return null;
  const key = findKey(keys, keyId);
  const mac = decodeBase64Url(macText);
  if (!key || !mac || mac.length !== MAC_BYTES) return null;
  const genuine = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(key),
    mac,
    encoder.encode(`${CONTEXT}${payload}.${keyId}`),
  );
  if (!genuine) return null;

  const json = decodeBase64Url(payload);
  if (!json) return null;
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(json));
  } catch {
    return null;
  }
  const checked = readClaims(value);
  if ('problem' in checked) return null;
  if (expected && checked.claims.k !== expected.kind) return null;
  return checked.claims;
}
