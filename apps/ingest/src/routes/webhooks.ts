import {
  ApiError,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointUpdate,
  WebhookReplayInput,
  type Backend,
} from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute, validator } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { limitBody, requireJson } from '../middleware/json-body';
import { rejectInvalid } from '../validation';
import { COMMON_ERRORS, NOT_FOUND, jsonResponse } from './openapi-helpers';

const EndpointId = v.object({
  id: v.pipe(v.string(), v.regex(/^wh_[A-Za-z0-9]{1,40}$/, 'not a webhook endpoint id')),
});
const SMALL = 16 * 1024;

function found<T>(value: T | null): T {
  if (value === null) throw new ApiError('not_found', 'No webhook endpoint with this id.');
  return value;
}

/** `/v1/webhooks`: endpoints that receive signed events (Standard Webhooks), replay and delivery log. */
export function webhookRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const tags = ['Webhooks'];

  routes.get(
    '/',
    describeRoute({
      summary: 'List webhook endpoints',
      tags,
      responses: {
        200: jsonResponse(v.object({ data: v.array(WebhookEndpoint) }), 'Endpoints'),
        ...COMMON_ERRORS,
      },
    }),
    async (c) => c.json({ data: await backend.webhooks.list(c.var.principal) }, 200),
  );

  routes.post(
    '/',
    describeRoute({
      summary: 'Add an endpoint; the answer shows its signing secret once',
      tags,
      responses: { 201: jsonResponse(WebhookEndpoint, 'Created'), ...COMMON_ERRORS },
    }),
    limitBody(SMALL),
    requireJson(),
    validator('json', WebhookEndpointInput, rejectInvalid),
    async (c) => c.json(await backend.webhooks.create(c.var.principal, c.req.valid('json')), 201),
  );

  routes.get(
    '/:id',
    describeRoute({
      summary: 'A webhook endpoint',
      tags,
      responses: { 200: jsonResponse(WebhookEndpoint, 'The endpoint'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', EndpointId, rejectInvalid),
    async (c) => c.json(found(await backend.webhooks.get(c.var.principal, c.req.valid('param').id)), 200),
  );

  routes.patch(
    '/:id',
    describeRoute({
      summary: 'Change an endpoint, enable/disable it, or rotate its secret (the old one stays valid 24 h)',
      tags,
      responses: { 200: jsonResponse(WebhookEndpoint, 'Changed'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', EndpointId, rejectInvalid),
    limitBody(SMALL),
    requireJson(),
    validator('json', WebhookEndpointUpdate, rejectInvalid),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(await backend.webhooks.update(c.var.principal, id, c.req.valid('json'))), 200);
    },
  );

  routes.delete(
    '/:id',
    describeRoute({
      summary: 'Remove an endpoint',
      tags,
      responses: { 204: { description: 'Removed' }, ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', EndpointId, rejectInvalid),
    async (c) => {
      found((await backend.webhooks.remove(c.var.principal, c.req.valid('param').id)) || null);
      return c.body(null, 204);
    },
  );

  routes.post(
    '/:id/replay',
    describeRoute({
      summary: 'Re-send the events of a time range to this endpoint',
      tags,
      responses: {
        202: jsonResponse(v.object({ queued: v.number() }), 'Queued'),
        ...NOT_FOUND,
        ...COMMON_ERRORS,
      },
    }),
    validator('param', EndpointId, rejectInvalid),
    limitBody(SMALL),
    requireJson(),
    validator('json', WebhookReplayInput, rejectInvalid),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(await backend.webhooks.replay(c.var.principal, id, c.req.valid('json'))), 202);
    },
  );

  routes.get(
    '/:id/deliveries',
    describeRoute({
      summary: 'The latest delivery attempts to this endpoint',
      tags,
      responses: {
        200: jsonResponse(v.object({ data: v.array(WebhookDelivery) }), 'Attempts, newest first'),
        ...NOT_FOUND,
        ...COMMON_ERRORS,
      },
    }),
    validator('param', EndpointId, rejectInvalid),
    async (c) =>
      c.json(
        { data: found(await backend.webhooks.deliveries(c.var.principal, c.req.valid('param').id)) },
        200,
      ),
  );

  return routes;
}
