import type { Domain, DomainInput, DomainsPort, Page, PageQuery, Principal } from '@mailq/contracts';
import {
  dkimTxtValue,
  generateDkimKeyPair,
  sendingDomainRecords,
  verifySendingDomain,
  type DnsResolver,
} from '@mailq/mail';
import { publicDomain, type DomainStore, type StoredDomain } from '@mailq/store';
import { randomUUID } from 'node:crypto';
import { durably } from './storage-errors';

export interface DomainServiceOptions {
  store: DomainStore;
  resolver: DnsResolver;
  now: () => Date;
  /** Host the return-path CNAME points at, and the SPF include of the platform. */
  returnPathHost: string;
  spfInclude: string;
}

/** `/v1/domains`: a DKIM key pair per domain, the DNS records to publish, and their verification. */
export class DomainService implements DomainsPort {
  constructor(private readonly options: DomainServiceOptions) {}

  async create(principal: Principal, input: DomainInput): Promise<Domain> {
    const keys = generateDkimKeyPair();
    const domain: StoredDomain = {
      id: `dom_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      name: input.name,
      status: 'pending',
      dkim_selector: keys.selector,
      records: sendingDomainRecords(input.name, keys, {
        returnPathHost: this.options.returnPathHost,
        spfInclude: this.options.spfInclude,
      }),
      created_at: this.options.now().toISOString(),
      dkim_private_key_pem: keys.privateKeyPem,
      dkim_public_key: keys.publicKeyBase64,
    };
    await durably(() => this.options.store.create(principal.tenantId, domain));
    return publicDomain(domain);
  }

  async list(principal: Principal, query: PageQuery): Promise<Page<Domain>> {
    const page = await durably(() => this.options.store.list(principal.tenantId, query.limit, query.cursor));
    return { data: page.data.map(publicDomain), next_cursor: page.next_cursor };
  }

  async get(principal: Principal, id: string): Promise<Domain | null> {
    const domain = await durably(() => this.options.store.get(principal.tenantId, id));
    return domain ? publicDomain(domain) : null;
  }

  async verify(principal: Principal, id: string): Promise<Domain | null> {
    const domain = await durably(() => this.options.store.get(principal.tenantId, id));
    if (!domain) return null;
    const result = await verifySendingDomain(this.options.resolver, domain.name, domain.records);
    const verified: StoredDomain = {
      ...domain,
      checks: result.checks,
      ...(result.verified
        ? { status: 'verified', verified_at: domain.verified_at ?? this.options.now().toISOString() }
        : {}),
    };
    await durably(() => this.options.store.save(principal.tenantId, verified));
    return publicDomain(verified);
  }
}

/** The TXT value a domain's DKIM record must hold (for tests and docs). */
export function dkimRecordValue(domain: StoredDomain): string {
  return dkimTxtValue(domain.dkim_public_key);
}
