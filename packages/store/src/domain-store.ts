import { ApiError, decodeCursor, encodeCursor, type Domain, type Page } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import * as v from 'valibot';
import type { StoreKeys } from './keys';

/** A sending domain as stored: the public record plus the DKIM private key the workers sign with. */
export interface StoredDomain extends Domain {
  dkim_private_key_pem: string;
  dkim_public_key: string;
}

const Cursor = v.object({ after: v.string() });

/** Strips what must never leave the platform (the private key) for API answers. */
export function publicDomain(domain: StoredDomain): Domain {
  const { dkim_private_key_pem: _key, dkim_public_key: _pub, ...rest } = domain;
  return rest;
}

/**
 * Sending domains per tenant: a hash id → JSON and a name → id index, both on
 * the tenant's hash tag so a create is one MULTI. (The DKIM private key is
 * stored as given; encrypting it at rest with a platform key is a later step.)
 */
export class DomainStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async create(tenantId: string, domain: StoredDomain): Promise<StoredDomain> {
    const claimed = await this.redis.hsetnx(this.keys.domainNames(tenantId), domain.name, domain.id);
    if (claimed === 0) throw new ApiError('conflict', `The domain ${domain.name} already exists.`);
    await this.redis.hset(this.keys.domains(tenantId), domain.id, JSON.stringify(domain));
    return domain;
  }

  async save(tenantId: string, domain: StoredDomain): Promise<void> {
    await this.redis.hset(this.keys.domains(tenantId), domain.id, JSON.stringify(domain));
  }

  async get(tenantId: string, id: string): Promise<StoredDomain | null> {
    const json = await this.redis.hget(this.keys.domains(tenantId), id);
    return json ? (JSON.parse(json) as StoredDomain) : null;
  }

  async findByName(tenantId: string, name: string): Promise<StoredDomain | null> {
    const id = await this.redis.hget(this.keys.domainNames(tenantId), name.toLowerCase());
    return id ? this.get(tenantId, id) : null;
  }

  /** Domains in name order. A tenant has few domains, so one HGETALL per page is fine. */
  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<StoredDomain>> {
    const after = cursor ? decodeCursor(cursor, Cursor)?.after : undefined;
    if (cursor && after === undefined)
      throw new ApiError('invalid_request', 'cursor is not one this API returned.');
    const all = Object.values(await this.redis.hgetall(this.keys.domains(tenantId)))
      .map((json) => JSON.parse(json) as StoredDomain)
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((d) => after === undefined || d.name > after);
    const data = all.slice(0, limit);
    const last = data.at(-1);
    return { data, next_cursor: all.length > limit && last ? encodeCursor({ after: last.name }) : null };
  }
}
