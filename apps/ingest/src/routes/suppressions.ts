import {
  ApiError,
  BareAddress,
  PageQuery,
  Suppression,
  SuppressionInput,
  pageOf,
  type Backend,
} from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute, validator } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { limitBody, requireJson } from '../middleware/json-body';
import { rejectInvalid } from '../validation';
import { COMMON_ERRORS, NOT_FOUND, jsonResponse } from './openapi-helpers';

const SMALL_BODY_BYTES = 64 * 1024;
const EmailParam = v.object({ email: BareAddress });

/** `/v1/suppressions`: addresses the tenant never sends to (hard bounces and complaints add them too). */
export function suppressionRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(
    '/',
    describeRoute({
      summary: 'List suppressed addresses',
      tags: ['Suppressions'],
      responses: { 200: jsonResponse(pageOf(Suppression), 'A page of suppressions'), ...COMMON_ERRORS },
    }),
    validator('query', PageQuery, rejectInvalid),
    async (c) => c.json(await backend.suppressions.list(c.var.principal, c.req.valid('query')), 200),
  );

  routes.post(
    '/',
    describeRoute({
      summary: 'Suppress an address',
      tags: ['Suppressions'],
      responses: { 201: jsonResponse(Suppression, 'Suppressed'), ...COMMON_ERRORS },
    }),
    limitBody(SMALL_BODY_BYTES),
    requireJson(),
    validator('json', SuppressionInput, rejectInvalid),
    async (c) => c.json(await backend.suppressions.add(c.var.principal, c.req.valid('json')), 201),
  );

  routes.delete(
    '/:email',
    describeRoute({
      summary: 'Remove an address from the suppression list',
      tags: ['Suppressions'],
      responses: { 204: { description: 'Removed' }, ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', EmailParam, rejectInvalid),
    async (c) => {
      if (!(await backend.suppressions.remove(c.var.principal, c.req.valid('param').email))) {
        throw new ApiError('not_found', 'This address is not suppressed.');
      }
      return c.body(null, 204);
    },
  );

  return routes;
}
