import { parseMailbox } from '@mailq/contracts';

// VERP (variable envelope return path): each message's envelope sender carries
// its id, so a bounce that quotes nothing of the original still names it.
const PREFIX = 'b+';
// RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.
const MAX_LOCAL_PART = 64;
// Letters, digits and "-" only: a dot-atom that needs no quoting and survives
// MTAs that lower-case local parts (our ids are lower-case UUIDs).
const ID = /^[A-Za-z0-9-]+$/;

/**
 * The VERP return path for a message: `b+<messageId>@<domain>`.
 * @throws RangeError when the id would not make a plain local part of ≤ 64 octets.
 */
export function verpAddress(messageId: string, domain: string): string {
  if (!ID.test(messageId) || PREFIX.length + messageId.length > MAX_LOCAL_PART) {
    throw new RangeError(`message id cannot be a VERP local part: ${JSON.stringify(messageId)}`);
  }
  const host = domain.trim().toLowerCase();
  if (!host || /[@\s<>]/.test(host)) throw new RangeError(`not a domain: ${JSON.stringify(domain)}`);
  return `${PREFIX}${messageId}@${host}`;
}

/**
 * The message id in a VERP return path, lower-case; undefined when the address
 * is not one. Tolerates `<>` and a display name (`Bounces <b+id@domain>`), and
 * any letter case.
 */
export function parseVerp(address: string): string | undefined {
  const bare = parseMailbox(address)?.address ?? address.trim().replace(/^<|>$/g, '');
  const at = bare.lastIndexOf('@');
  if (at <= 0 || at === bare.length - 1) return undefined;
  const local = bare.slice(0, at);
  if (local.length > MAX_LOCAL_PART || local.slice(0, PREFIX.length).toLowerCase() !== PREFIX)
    return undefined;
  const id = local.slice(PREFIX.length);
  return ID.test(id) ? id.toLowerCase() : undefined;
}
