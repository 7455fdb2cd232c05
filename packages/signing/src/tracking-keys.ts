/** One HMAC key: its id travels in the token so verification knows which secret to use. */
export interface TrackingKey {
  /** `[a-z0-9]{1,8}`. */
  id: string;
  /** At least 32 characters (base64 or plain text); its UTF-8 bytes are the HMAC key. */
  secret: string;
}

/** The signing key, plus retired keys that still verify the tokens already sent out. */
export interface TrackingKeys {
  current: TrackingKey;
  previous?: TrackingKey[];
}

export const KEY_ID_PATTERN = /^[a-z0-9]{1,8}$/;
// 32 characters of base64 carry 192 bits; RFC 2104 §3 asks for keys no shorter than the
// hash output (32 bytes for SHA-256), which 32 bytes of plain text meet by length.
export const MIN_SECRET_LENGTH = 32;

/** Why a key cannot be used, without ever quoting its secret; undefined when it is fine. */
export function keyProblem(key: TrackingKey): string | undefined {
  if (!KEY_ID_PATTERN.test(key.id)) return `key id "${key.id}" must match [a-z0-9]{1,8}`;
  if (key.secret.length < MIN_SECRET_LENGTH) {
    return `key "${key.id}": secret must be at least ${MIN_SECRET_LENGTH} characters, got ${key.secret.length}`;
  }
  return undefined;
}

/**
 * Parses a key list such as `TRACKING_KEYS='k2:secret2,k1:secret1'`: the first entry signs,
 * the rest only verify. Rotate by prepending a new key and dropping the oldest once the links
 * it signed may expire. A secret is everything after the first `:` of its entry, so it may
 * contain `:` but not `,`; whitespace around entries is ignored.
 *
 * @throws Error naming the entry at fault (never its secret): empty list or entry, missing
 *   `:`, malformed key id, secret shorter than 32 characters, or a repeated key id.
 */
export function parseTrackingKeys(env: string): TrackingKeys {
  if (env.trim() === '') throw new Error("TRACKING_KEYS is empty: expected 'id:secret[,id:secret...]'");
  const seen = new Set<string>();
  const keys = env.split(',').map((entry, index): TrackingKey => {
    const where = `TRACKING_KEYS entry ${index + 1}`;
    const trimmed = entry.trim();
    if (trimmed === '') throw new Error(`${where} is empty (stray comma?)`);
    const colon = trimmed.indexOf(':');
    if (colon === -1) throw new Error(`${where} has no ':' between key id and secret`);
    const key = { id: trimmed.slice(0, colon).trim(), secret: trimmed.slice(colon + 1).trim() };
    const problem = keyProblem(key);
    if (problem) throw new Error(`${where}: ${problem}`);
    if (seen.has(key.id)) throw new Error(`${where}: key id "${key.id}" is listed twice`);
    seen.add(key.id);
    return key;
  });
  const [current, ...previous] = keys;
  if (!current) throw new Error("TRACKING_KEYS is empty: expected 'id:secret[,id:secret...]'");
  return { current, previous };
}
