import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

// Guards for webhooks that are not signed (Postmark): who may call, and with
// which credentials.

/**
 * A matcher for a list of IPs and CIDRs (`203.0.113.7`, `203.0.113.0/24`,
 * `2001:db8::/32`). IPv4-mapped IPv6 peers (`::ffff:203.0.113.7`, as a
 * dual-stack socket reports them) match the IPv4 entries.
 * @throws TypeError on an entry that is neither (a configuration error)
 */
export function ipMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [ip = '', prefix, extra] = entry.trim().split('/');
    const family = isIP(ip);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 4 ? 32 : 128;
    if (
      !family ||
      extra !== undefined ||
      (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max))
    ) {
      throw new TypeError(`not an IP address or CIDR: ${JSON.stringify(entry)}`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, bits, type);
  }
  return (address) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address.trim());
    const ip = mapped?.[1] ?? address.trim();
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * True when an `Authorization: Basic …` header carries exactly this user and
 * password. Compares digests with timingSafeEqual, and always both fields, so
 * the time taken says nothing about how much of either matched.
 */
export function basicAuthMatches(header: string | null | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  // RFC 7617 §2: the user-id cannot contain ":", the password may.
  const givenUser = colon < 0 ? '' : decoded.slice(0, colon);
  const givenPassword = colon < 0 ? '' : decoded.slice(colon + 1);
  const userOk = sameSecret(givenUser, user);
  const passwordOk = sameSecret(givenPassword, password);
  return colon >= 0 && userOk && passwordOk;
}

function sameSecret(given: string, expected: string): boolean {
  // Equal-length digests: timingSafeEqual needs equal lengths, and hashing
  // first keeps the expected secret's length out of the timing too.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
