/** What a tracking token vouches for. Short keys keep the token, and so the URL, short. */
export interface TrackingClaims {
  /** `o` for the open pixel, `c` for a click. */
  k: 'o' | 'c';
  /** Message id. */
  m: string;
  /** Tenant id. */
  t: string;
  /** Recipient, bare address. */
  r?: string;
  /** Target URL, clicks only: always http: or https:. */
  u?: string;
}

const ID_MAX = 200;
// A 64-octet local part, "@" and a 255-octet domain (RFC 5321 §4.5.3.1.1, §4.5.3.1.2).
const RECIPIENT_MAX = 320;
// The token grows by 4/3 of the target and lands in our own click URL, which must stay under
// the ~8 KB request line common servers accept (nginx's default large_client_header_buffers).
const URL_MAX = 4096;

const FIELDS = new Set(['k', 'm', 't', 'r', 'u']);
const PRINTABLE_ID = /^[\x21-\x7e]+$/;

// C0 controls and DEL: in a target URL they could split a Location header, and the URL parser
// strips some of them silently, so the URL would differ from the one that was signed.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

/**
 * True for an absolute http: or https: URL that is safe to put in a Location header: this is
 * the whole defence against `javascript:`, `data:` and similar targets.
 */
export function isSafeTargetUrl(url: string): boolean {
  if (url.length > URL_MAX || hasControlCharacter(url) || url.trim() !== url) return false;
  if (!/^https?:\/\//i.test(url)) return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

// Own data properties only, so a `__proto__` key or a getter on the prototype reads as absent.
function own(record: object, name: string): unknown {
  return Object.getOwnPropertyDescriptor(record, name)?.value;
}

/**
 * Checks a value against the claims shape strictly (no unknown fields, `u` required for clicks
 * and absent for opens) and returns a fresh object holding only the claims, or the reason it
 * was refused.
 */
export function readClaims(value: unknown): { claims: TrackingClaims } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'claims must be an object' };
  }
  const unknown = Object.keys(value).find((name) => !FIELDS.has(name));
  if (unknown !== undefined) return { problem: `unknown claim "${unknown}"` };
  const k = own(value, 'k');
  const m = own(value, 'm');
  const t = own(value, 't');
  const r = own(value, 'r');
  const u = own(value, 'u');
  if (k !== 'o' && k !== 'c') return { problem: "k must be 'o' or 'c'" };
  if (typeof m !== 'string' || m.length > ID_MAX || !PRINTABLE_ID.test(m)) {
    return { problem: `m must be 1-${ID_MAX} printable ASCII characters` };
  }
  if (typeof t !== 'string' || t.length > ID_MAX || !PRINTABLE_ID.test(t)) {
    return { problem: `t must be 1-${ID_MAX} printable ASCII characters` };
  }
  if (
    r !== undefined &&
    (typeof r !== 'string' || r.length > RECIPIENT_MAX || r === '' || /\s/.test(r) || hasControlCharacter(r))
  ) {
    return { problem: `r must be a bare address of at most ${RECIPIENT_MAX} characters` };
  }
  if (k === 'o' && u !== undefined) return { problem: 'u is for clicks only' };
  if (k === 'c' && (typeof u !== 'string' || !isSafeTargetUrl(u))) {
    return { problem: `u must be an absolute http: or https: URL of at most ${URL_MAX} characters` };
  }
  const claims: TrackingClaims = { k, m, t };
  if (typeof r === 'string') claims.r = r;
  if (typeof u === 'string') claims.u = u;
  return { claims };
}
