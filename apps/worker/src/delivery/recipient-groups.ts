import { domainOf } from '@mailq/contracts';

/**
 * Recipients grouped by domain: each group is one SMTP transaction, subject to
 * its destination's limits (and, in mx mode, delivered to that domain's MX).
 */
export function groupByDomain(recipients: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const address of recipients) {
    const domain = domainOf(address);
    groups.set(domain, [...(groups.get(domain) ?? []), address]);
  }
  return groups;
}
