import * as v from 'valibot';

const IsoTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp'));

/** Counted event kinds (DESIGN §3). */
export const ANALYTICS_METRICS = [
  'sent',
  'delivered',
  'deferred',
  'bounced',
  'complained',
  'opened',
  'clicked',
  'failed',
  'suppressed',
] as const;
export type AnalyticsMetric = (typeof ANALYTICS_METRICS)[number];

/** `GET /v1/analytics?from=&to=&group_by=` (at most 90 days, hourly buckets at most 7 days). */
export const AnalyticsQuery = v.pipe(
  v.object({
    from: IsoTime,
    to: IsoTime,
    group_by: v.optional(
      v.picklist(['day', 'hour', 'domain', 'tag'], 'group_by must be day, hour, domain or tag'),
      'day',
    ),
  }),
  v.check((q) => Date.parse(q.from) < Date.parse(q.to), 'from must be before to'),
  v.check((q) => Date.parse(q.to) - Date.parse(q.from) <= 90 * 86_400_000, 'at most 90 days at a time'),
  v.check(
    (q) => q.group_by !== 'hour' || Date.parse(q.to) - Date.parse(q.from) <= 7 * 86_400_000,
    'hourly buckets for at most 7 days at a time',
  ),
);
export type AnalyticsQuery = v.InferOutput<typeof AnalyticsQuery>;

export const AnalyticsCounts = v.record(v.string(), v.number());

export const AnalyticsResult = v.object({
  from: v.string(),
  to: v.string(),
  group_by: v.string(),
  totals: AnalyticsCounts,
  groups: v.array(v.object({ key: v.string(), counts: AnalyticsCounts })),
});
export type AnalyticsResult = v.InferOutput<typeof AnalyticsResult>;
