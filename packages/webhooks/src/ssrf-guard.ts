import { isIP } from 'node:net';
import { findRange, type RangeScope } from './address-ranges';
import { embeddedIpv4 } from './ipv4-embedding';

/**
 * Which normally forbidden destinations a deployment permits. Both default to
 * false (DESIGN.md §6); the platform's own tests set `allowLoopback` to deliver
 * to a receiver on 127.0.0.1, and on-premises installs may set `allowPrivate`.
 */
export interface AddressPolicy {
  /** Permit 127.0.0.0/8 and ::1 (and their IPv4-mapped spellings). */
  allowLoopback?: boolean;
  /** Permit RFC 1918, CGNAT (RFC 6598) and unique local IPv6 (RFC 4193). */
  allowPrivate?: boolean;
}

function permitted(scope: RangeScope, policy: AddressPolicy): boolean {
  return (
    (scope === 'loopback' && policy.allowLoopback === true) ||
    (scope === 'private' && policy.allowPrivate === true)
  );
}

/**
 * Why an outbound webhook must not connect to `ip`, or null when it may.
 *
 * `ip` is a bare IPv4 or IPv6 address (no brackets; an IPv6 zone id is ignored).
 * Anything that is not an IP address is refused. IPv6 spellings of IPv4
 * addresses (mapped, compatible, NAT64, 6to4, Teredo) are judged by the IPv4
 * address they reach.
 */
export function isForbiddenAddress(ip: string, policy: AddressPolicy = {}): string | null {
  // A zone id (RFC 6874) selects an interface; it does not change the address.
  const address = ip.split('%')[0] ?? '';
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  if (family === 6) {
    const embedded = embeddedIpv4(address);
    for (const { kind, ipv4 } of embedded) {
      const reason = isForbiddenAddress(ipv4, policy);
      if (reason !== null) return `${kind} of ${ipv4}, ${reason}`;
    }
    // Mapped and NAT64 addresses are only another spelling of the IPv4
    // destination (DNS64 hands out 64:ff9b:: for every IPv4-only site).
    if (embedded.some(({ kind }) => kind === 'IPv4-mapped IPv6' || kind === 'NAT64 IPv6')) return null;
  }
  const range = findRange(address, family === 4 ? 'ipv4' : 'ipv6');
  return range === null || permitted(range.scope, policy) ? null : range.reason;
}

/** Why a webhook URL was refused: malformed, or aimed at a forbidden address. */
export type WebhookUrlErrorCode = 'invalid_url' | 'forbidden_address';

/** A webhook URL that must not be stored or called; `message` is user-facing. */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';

  constructor(
    readonly code: WebhookUrlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Parses and vets a customer's webhook URL: http(s) only, no credentials, a
 * non-zero port, and a literal IP host that passes {@link isForbiddenAddress}.
 * WHATWG URL parsing already rewrites decimal, octal, hex and short IPv4 forms
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1`) to dotted quads, so the
 * normalised host is what gets checked. Host names are checked again after
 * DNS resolution, at connect time, by the webhook client.
 *
 * @throws {WebhookUrlError} with a message that can be shown to the customer.
 */
export function parseWebhookUrl(url: string, policy: AddressPolicy = {}): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid('not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return invalid(`scheme "${parsed.protocol}" is not allowed; use http: or https:`);
  }
  if (parsed.username !== '' || parsed.password !== '')
    return invalid('credentials in the URL are not allowed');
  if (parsed.hostname === '') return invalid('the URL has no host');
  // WHATWG URL refuses ports above 65535 but accepts 0, which cannot be dialled.
  if (parsed.port === '0') return invalid('port 0 is not allowed');

  const bracketed = parsed.hostname.startsWith('[');
  const host = bracketed ? parsed.hostname.slice(1, -1) : parsed.hostname;
  // RFC 6761 §6.3: "localhost" and names under it always mean loopback.
  const name = host.replace(/\.$/, '').toLowerCase();
  const literal = name === 'localhost' || name.endsWith('.localhost') ? '127.0.0.1' : host;
  if (isIP(literal) !== 0) {
    const reason = isForbiddenAddress(literal, policy);
    if (reason !== null) throw new WebhookUrlError('forbidden_address', `blocked: ${host} is ${reason}`);
  }
  return parsed;
}

function invalid(message: string): never {
  throw new WebhookUrlError('invalid_url', `invalid webhook URL: ${message}`);
}
