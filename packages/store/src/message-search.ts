import {
  ApiError,
  decodeCursor,
  encodeCursor,
  type EmailSummary,
  type ListEmailsQuery,
  type Page,
} from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import * as v from 'valibot';
import type { StoreKeys } from './keys';
import type { MessageStore } from './message-store';

// Position in the newest-first index: the score (acceptance ms) to start at
// and how many entries with exactly that score were already returned.
const Cursor = v.object({ max: v.number(), skip: v.number() });

/** Most index entries one request examines, so a rare filter cannot scan a tenant's whole history. */
const MAX_SCANNED = 1_000;

/**
 * `GET /v1/emails`: walks the tenant's time index newest first and filters
 * on status, tag and recipient. A page may come back short with a cursor when
 * the scan budget runs out; following the cursor continues the scan.
 */
export class MessageSearch {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly messages: MessageStore,
  ) {}

  async list(tenantId: string, query: ListEmailsQuery): Promise<Page<EmailSummary>> {
    const position = query.cursor ? decodeCursor(query.cursor, Cursor) : null;
    if (query.cursor && !position)
      throw new ApiError('invalid_request', 'cursor is not one this API returned.');
    let max = position?.max ?? (query.before ? Date.parse(query.before) : Number.POSITIVE_INFINITY);
    let skip = position?.skip ?? 0;
    const min = query.after ? Date.parse(query.after) : Number.NEGATIVE_INFINITY;
    const data: EmailSummary[] = [];
    let scanned = 0;

    while (data.length < query.limit && scanned < MAX_SCANNED) {
      const batch = Math.min(100, MAX_SCANNED - scanned);
      const raw = await this.redis.zrevrangebyscore(
        this.keys.tenantEmails(tenantId),
        rangeBound(max),
        rangeBound(min),
        'WITHSCORES',
        'LIMIT',
        skip,
        batch,
      );
      if (raw.length === 0) return { data, next_cursor: null };
      const entries = pairs(raw);
      scanned += entries.length;
      const summaries = await Promise.all(entries.map(([id]) => this.messages.summary(tenantId, id)));
      for (let i = 0; i < entries.length; i++) {
        const [, score] = entries[i] as [string, number];
        skip = score === max ? skip + 1 : 1;
        max = score;
        const summary = summaries[i];
        if (summary && matches(summary, query)) data.push(summary);
        if (data.length === query.limit) break;
      }
      if (data.length === query.limit) break;
      if (entries.length < batch) return { data, next_cursor: null };
    }
    return { data, next_cursor: encodeCursor({ max, skip }) };
  }
}

function rangeBound(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}

function pairs(raw: string[]): Array<[string, number]> {
  const result: Array<[string, number]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) result.push([raw[i] as string, Number(raw[i + 1])]);
  return result;
}

function matches(summary: EmailSummary, query: ListEmailsQuery): boolean {
  if (query.status && summary.status !== query.status) return false;
  if (query.to && !summary.to.includes(query.to)) return false;
  if (query.tag) {
    const [name, value] = query.tag.split(':');
    if (!summary.tags.some((t) => t.name === name && t.value === value)) return false;
  }
  return true;
}
