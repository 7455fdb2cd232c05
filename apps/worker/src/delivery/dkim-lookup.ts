import { domainOf } from '@mailq/contracts';
import { dkimOptionsFor } from '@mailq/mail';
import type { DomainStore } from '@mailq/store';

type DkimOptions = ReturnType<typeof dkimOptionsFor>;

/** How long a worker trusts what it read about a sending domain (a verification shows up within this). */
const CACHE_MS = 60_000;

/**
 * The DKIM key for a message's From domain, when the tenant has verified it.
 * Looked up once a minute per domain, not once per message.
 */
export function dkimLookup(domains: DomainStore, now: () => number = Date.now) {
  const cache = new Map<string, { until: number; options: DkimOptions | null }>();
  return async function dkimFor(tenantId: string, from: string): Promise<DkimOptions | null> {
    const name = domainOf(from);
    const key = `${tenantId}/${name}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.options;
    const domain = await domains.findByName(tenantId, name);
    const options =
      domain?.status === 'verified'
        ? dkimOptionsFor(domain.name, domain.dkim_selector, domain.dkim_private_key_pem)
        : null;
    cache.set(key, { until: now() + CACHE_MS, options });
    return options;
  };
}
