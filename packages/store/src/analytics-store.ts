import type { AnalyticsMetric, AnalyticsQuery, AnalyticsResult } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import type { StoreKeys } from './keys';

/** What one counted event is about: when, and the dimensions it can be grouped by. */
export interface CountedEvent {
  tenantId: string;
  metric: AnalyticsMetric;
  at: Date;
  /** The sending domain (From). */
  domain?: string;
  tags?: { name: string; value: string }[];
}

/** Counts for one tenant's day: counter field → amount. What an analytics batch job carries. */
export interface DayCounts {
  tenantId: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  fields: Record<string, number>;
}

/** Counters are kept for about 13 months. */
const RETENTION_SECONDS = 400 * 86_400;

/** The UTC day and the counter fields one event adds 1 to. */
export function counterFields(event: CountedEvent): { day: string; fields: string[] } {
  const iso = event.at.toISOString();
  const fields = ['all', `h${iso.slice(11, 13)}`];
  if (event.domain) fields.push(`dom:${event.domain}`);
  for (const tag of event.tags ?? []) fields.push(`tag:${tag.name}=${tag.value}`);
  return { day: iso.slice(0, 10), fields: fields.map((field) => `${field}|${event.metric}`) };
}

/**
 * Event counters per tenant, in one hash per UTC day with fields
 * `all|<metric>`, `h<HH>|<metric>`, `dom:<domain>|<metric>` and
 * `tag:<name>=<value>|<metric>`. Analytics reads at most one hash per day of
 * the range — never the messages themselves. All of a tenant's days share the
 * `{stats:<tenant>}` hash tag, so one query is a single-slot pipeline.
 */
export class AnalyticsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async increment(event: CountedEvent, by = 1): Promise<void> {
    const { day, fields } = counterFields(event);
    await this.add([
      { tenantId: event.tenantId, day, fields: Object.fromEntries(fields.map((f) => [f, by])) },
    ]);
  }

  /**
   * Adds counts to the tenants' day hashes: one MULTI per tenant (a tenant's
   * days share one slot), so each tenant's share of a batch is applied whole
   * or not at all.
   */
  async add(counts: DayCounts[]): Promise<void> {
    const byTenant = new Map<string, DayCounts[]>();
    for (const c of counts) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c]);
    await Promise.all(
      [...byTenant.values()].map(async (days) => {
        const tx = this.redis.multi();
        for (const { tenantId, day, fields } of days) {
          const key = this.keys.stats(tenantId, day);
          for (const [field, n] of Object.entries(fields)) tx.hincrby(key, field, n);
          tx.expire(key, RETENTION_SECONDS);
        }
        const result = await tx.exec();
        const failed = result?.find(([error]) => error !== null);
        if (!result || failed) throw failed?.[0] ?? new Error('analytics counts: transaction aborted');
      }),
    );
  }

  async query(tenantId: string, query: AnalyticsQuery): Promise<AnalyticsResult> {
    const days = daysBetween(new Date(query.from), new Date(query.to));
    const tx = this.redis.multi();
    for (const day of days) tx.hgetall(this.keys.stats(tenantId, day));
    const hashes = ((await tx.exec()) ?? []).map(([, value]) => (value ?? {}) as Record<string, string>);
    const totals: Record<string, number> = {};
    const groups = new Map<string, Record<string, number>>();
    const add = (target: Record<string, number>, metric: string, n: number) =>
      (target[metric] = (target[metric] ?? 0) + n);
    const fromHour = Date.parse(query.from);
    const toHour = Date.parse(query.to);

    hashes.forEach((fields, i) => {
      const day = days[i] as string;
      for (const [field, value] of Object.entries(fields)) {
        const [dimension = '', metric = ''] = field.split('|');
        const n = Number(value);
        if (dimension.startsWith('h')) {
          // Hour buckets decide what is inside [from, to) at hour precision.
          const start = Date.parse(`${day}T${dimension.slice(1)}:00:00Z`);
          if (start + 3_600_000 <= fromHour || start >= toHour) continue;
          add(totals, metric, n);
          if (query.group_by === 'hour') add(group(groups, `${day}T${dimension.slice(1)}`), metric, n);
          if (query.group_by === 'day') add(group(groups, day), metric, n);
        } else if (query.group_by === 'domain' && dimension.startsWith('dom:')) {
          add(group(groups, dimension.slice(4)), metric, n);
        } else if (query.group_by === 'tag' && dimension.startsWith('tag:')) {
          add(group(groups, dimension.slice(4)), metric, n);
        }
      }
    });
    return {
      from: query.from,
      to: query.to,
      group_by: query.group_by,
      totals,
      groups: [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, counts]) => ({ key, counts })),
    };
  }
}

function group(groups: Map<string, Record<string, number>>, key: string): Record<string, number> {
  let counts = groups.get(key);
  if (!counts) groups.set(key, (counts = {}));
  return counts;
}

/** UTC days touched by [from, to). */
function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (cursor.getTime() < to.getTime()) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}
