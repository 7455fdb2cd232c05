import * as v from 'valibot';

// CR or LF in a header value lets a caller inject headers or a whole body
// (CWE-93); other C0 controls and DEL are never valid in RFC 5322 headers.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A single-line header-safe string: no CR, LF or other control characters (TAB allowed). */
export function headerSafe(maxChars: number, label: string) {
  return v.pipe(
    v.string(`${label} must be a string`),
    v.maxLength(maxChars, `${label} must be at most ${maxChars} characters`),
    v.check((s) => !CONTROL_CHARS.test(s), `${label} must not contain CR, LF or control characters`),
  );
}

/** RFC 5322 §3.6.8 field-name: printable US-ASCII except colon. */
export const HeaderName = v.pipe(
  v.string(),
  v.regex(/^[!-9;-~]{1,76}$/, 'header names are 1-76 printable ASCII characters without ":"'),
);

/** Headers the platform itself owns; letting callers set them would break delivery or threading. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'reply-to',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'dkim-signature',
  'return-path',
  'sender',
]);
