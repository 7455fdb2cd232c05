import * as v from 'valibot';

// `addr@domain` or `Display Name <addr@domain>`; the display name may be quoted
// (and only then contain "," or ";", which would otherwise split a list).
const NAME_ADDR = /^\s*(?:"([^"]*)"|([^"<>]*?))\s*<([^<>\s]+)>\s*$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Splits a mailbox into its display name and bare address; returns null when malformed. */
export function parseMailbox(input: string): { name?: string; address: string } | null {
  if (CONTROL_CHARS.test(input)) return null;
  const match = NAME_ADDR.exec(input);
  if (match) {
    if (match[2] !== undefined && /[,;]/.test(match[2])) return null;
    const name = (match[1] ?? match[2] ?? '').trim();
    return { ...(name ? { name } : {}), address: match[3] ?? '' };
  }
  const bare = input.trim();
  return /[<>"\s,;]/.test(bare) ? null : { address: bare };
}

const ADDRESS_SCHEMA = v.pipe(v.string(), v.maxLength(254), v.email());

/** True when the bare address is a valid addr-spec (RFC 5321 length limit of 254). */
export function isValidAddress(address: string): boolean {
  return v.is(ADDRESS_SCHEMA, address);
}

/** One mailbox: a valid address, optionally with a display name; no CR/LF, no lists. */
export const EmailAddress = v.pipe(
  v.string('must be an email address string'),
  v.maxLength(320, 'address too long'),
  v.check((s) => {
    const mailbox = parseMailbox(s);
    return mailbox !== null && isValidAddress(mailbox.address);
  }, 'must be a valid email address such as "Ada <ada@example.com>"'),
);
export type EmailAddress = v.InferOutput<typeof EmailAddress>;

/** One address or a non-empty list of them; always normalised to a list. */
export const AddressList = v.pipe(
  v.union(
    [
      v.pipe(
        EmailAddress,
        v.transform((s) => [s]),
      ),
      v.pipe(v.array(EmailAddress), v.minLength(1)),
    ],
    'must be an email address or a non-empty list of them',
  ),
);

/** The bare, lower-cased address of a mailbox, used as the recipient key everywhere. */
export function bareAddress(mailbox: string): string {
  return (parseMailbox(mailbox)?.address ?? mailbox).toLowerCase();
}

/** The domain part of a mailbox. */
export function domainOf(mailbox: string): string {
  const address = bareAddress(mailbox);
  return address.slice(address.lastIndexOf('@') + 1);
}
