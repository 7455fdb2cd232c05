import { ApiError, encodeCursor, decodeCursor, type Page, type Suppression } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import * as v from 'valibot';
import type { StoreKeys } from './keys';

const Cursor = v.object({ after: v.string() });

/**
 * A tenant's suppression list: one hash (address → entry) and a sorted set
 * with every score 0 used as a lexical index for stable cursor paging. Both
 * keys carry the tenant's hash tag, so each change is one MULTI.
 */
export class SuppressionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  /** Adds or replaces the entry for `entry.email` (lower-cased bare address). */
  async add(tenantId: string, entry: Suppression): Promise<Suppression> {
    await this.redis
      .multi()
      .hset(this.keys.suppressions(tenantId), entry.email, JSON.stringify(entry))
      .zadd(this.keys.suppressionIndex(tenantId), 0, entry.email)
      .exec();
    return entry;
  }

  async remove(tenantId: string, email: string): Promise<boolean> {
    const result = await this.redis
      .multi()
      .hdel(this.keys.suppressions(tenantId), email)
      .zrem(this.keys.suppressionIndex(tenantId), email)
      .exec();
    return Number(result?.[0]?.[1] ?? 0) > 0;
  }

  /** The subset of `emails` that is suppressed, with each entry (one HMGET). */
  async find(tenantId: string, emails: string[]): Promise<Map<string, Suppression>> {
    if (emails.length === 0) return new Map();
    const values = await this.redis.hmget(this.keys.suppressions(tenantId), ...emails);
    const found = new Map<string, Suppression>();
    values.forEach((value, i) => {
      const email = emails[i];
      if (value && email) found.set(email, JSON.parse(value) as Suppression);
    });
    return found;
  }

  /** Entries in address order, `limit` at a time. */
  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<Suppression>> {
    const after = cursor ? decodeCursor(cursor, Cursor)?.after : undefined;
    if (cursor && after === undefined)
      throw new ApiError('invalid_request', 'cursor is not one this API returned.');
    const start = after === undefined ? '-' : `(${after}`;
    const emails = await this.redis.zrangebylex(
      this.keys.suppressionIndex(tenantId),
      start,
      '+',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = emails.slice(0, limit);
    const entries = await this.find(tenantId, page);
    const data = page.map((email) => entries.get(email)).filter((e): e is Suppression => e !== undefined);
    const last = page.at(-1);
    return { data, next_cursor: emails.length > limit && last ? encodeCursor({ after: last }) : null };
  }
}
