import { AnalyticsQuery, AnalyticsResult, type Backend } from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute, validator } from 'hono-openapi';
import type { AppEnv } from '../app-env';
import { rejectInvalid } from '../validation';
import { COMMON_ERRORS, jsonResponse } from './openapi-helpers';

/** `GET /v1/analytics?from=&to=&group_by=day|hour|domain|tag`: counts from the aggregates. */
export function analyticsRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(
    '/',
    describeRoute({
      summary: 'Counts of sent, delivered, deferred, bounced, complained, opened and clicked',
      description:
        'Domain and tag groups count whole UTC days of the range; totals and time groups are hourly-precise.',
      tags: ['Analytics'],
      responses: { 200: jsonResponse(AnalyticsResult, 'Counts'), ...COMMON_ERRORS },
    }),
    validator('query', AnalyticsQuery, rejectInvalid),
    async (c) => c.json(await backend.analytics.query(c.var.principal, c.req.valid('query')), 200),
  );
  return routes;
}
