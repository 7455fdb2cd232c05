import type { DnsResolver } from './dns-resolver';

/**
 * The domain publishes a null MX (RFC 7505): it accepts no mail, so the message must bounce
 * without any connection attempt and the address can be suppressed.
 */
export class NullMxError extends Error {
  /** The reply RFC 7505 §4.2 suggests, ready for `classifySmtpReply` (5.1.10 → bounced). */
  readonly smtpReply: string;

  constructor(readonly domain: string) {
    super(`${domain} does not accept mail (null MX, RFC 7505)`);
    this.name = 'NullMxError';
    this.smtpReply = `556 5.1.10 Recipient address has null MX (${domain})`;
  }
}

/** A host to try, lowest `priority` first. */
export interface MailHost {
  host: string;
  priority: number;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * The hosts to deliver mail for `domain` to, in the order to try them (RFC 5321 §5.1):
 * - MX records sorted by preference, equal preferences shuffled with `random` so load
 *   spreads across them as §5.1 asks;
 * - a null MX — an MX whose exchange is the root "." (RFC 7505 §3) and no other — throws
 *   {@link NullMxError}; a "." mixed in with real hosts breaks RFC 7505 §3 and is skipped,
 *   since it names no host to connect to;
 * - no MX at all: the implicit MX, the domain itself, if it has an A or AAAA record; else `[]`.
 *
 * DNS failures other than "no such record" reject, so the caller defers instead of bouncing.
 */
export async function resolveMailHosts(
  resolver: DnsResolver,
  domain: string,
  random: () => number = Math.random,
): Promise<MailHost[]> {
  const name = normalise(domain);
  const records = await resolver.resolveMx(name);
  // c-ares returns the root name as ""; other resolvers may give ".".
  const isNull = (exchange: string) => exchange === '' || exchange === '.';

  if (records.length > 0 && records.every((r) => isNull(r.exchange))) throw new NullMxError(name);
  if (records.length > 0) {
    return records
      .filter((r) => !isNull(r.exchange))
      .map((r) => ({ host: normalise(r.exchange), priority: r.priority, tiebreak: random() }))
      .sort((x, y) => x.priority - y.priority || x.tiebreak - y.tiebreak)
      .map(({ host, priority }) => ({ host, priority }));
  }

  const [v4, v6] = await Promise.all([resolver.resolve4(name), resolver.resolve6(name)]);
  return v4.length > 0 || v6.length > 0 ? [{ host: name, priority: 0 }] : [];
}
