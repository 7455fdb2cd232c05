import { domainOf } from '@mailq/contracts';
import { dkimOptionsFor } from '@mailq/mail';
import { cachedLookup, type DomainStore } from '@mailq/store';

type DkimOptions = ReturnType<typeof dkimOptionsFor>;

/** How long a worker trusts what it read about a sending domain (a verification shows up within this). */
const CACHE_MS = 60_000;

/**
 * The DKIM key for a message's From domain, when the tenant has verified it.
 * Looked up once a minute per domain, not once per message.
 */
export function dkimLookup(domains: DomainStore, now: () => number = Date.now) {
  const optionsOf = cachedLookup(
    CACHE_MS,
    async (key) => {
      const [tenantId = '', name = ''] = key.split('/');
      const domain = await domains.findByName(tenantId, name);
      return domain?.status === 'verified'
        ? dkimOptionsFor(domain.name, domain.dkim_selector, domain.dkim_private_key_pem)
        : null;
    },
    { now },
  );
  return function dkimFor(tenantId: string, from: string): Promise<DkimOptions | null> {
    return optionsOf(`${tenantId}/${domainOf(from)}`);
  };
}
