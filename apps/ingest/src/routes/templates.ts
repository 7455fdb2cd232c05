import {
  ApiError,
  LIMITS,
  PageQuery,
  Template,
  TemplateInput,
  TemplateUpdate,
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

const TemplateRef = v.object({
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,100}$/, 'a template id or name')),
});

/** `/v1/templates`: stored Handlebars templates (`{{x}}` escaped in HTML) used by `template` on a send. */
export function templateRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const found = (template: Template | null): Template => {
    if (!template) throw new ApiError('not_found', 'No template with this id or name.');
    return template;
  };
  const body = [limitBody(LIMITS.maxSingleBodyBytes), requireJson()] as const;

  routes.get(
    '/',
    describeRoute({
      summary: 'List templates',
      tags: ['Templates'],
      responses: { 200: jsonResponse(pageOf(Template), 'A page of templates'), ...COMMON_ERRORS },
    }),
    validator('query', PageQuery, rejectInvalid),
    async (c) => c.json(await backend.templates.list(c.var.principal, c.req.valid('query')), 200),
  );

  routes.post(
    '/',
    describeRoute({
      summary: 'Create a template',
      tags: ['Templates'],
      responses: { 201: jsonResponse(Template, 'Created'), ...COMMON_ERRORS },
    }),
    ...body,
    validator('json', TemplateInput, rejectInvalid),
    async (c) => c.json(await backend.templates.create(c.var.principal, c.req.valid('json')), 201),
  );

  routes.get(
    '/:id',
    describeRoute({
      summary: 'A template, by id or name',
      tags: ['Templates'],
      responses: { 200: jsonResponse(Template, 'The template'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', TemplateRef, rejectInvalid),
    async (c) => c.json(found(await backend.templates.get(c.var.principal, c.req.valid('param').id)), 200),
  );

  routes.patch(
    '/:id',
    describeRoute({
      summary: 'Change a template',
      tags: ['Templates'],
      responses: { 200: jsonResponse(Template, 'Changed'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', TemplateRef, rejectInvalid),
    ...body,
    validator('json', TemplateUpdate, rejectInvalid),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(found(await backend.templates.update(c.var.principal, id, c.req.valid('json'))), 200);
    },
  );

  routes.delete(
    '/:id',
    describeRoute({
      summary: 'Delete a template',
      tags: ['Templates'],
      responses: { 204: { description: 'Deleted' }, ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', TemplateRef, rejectInvalid),
    async (c) => {
      if (!(await backend.templates.remove(c.var.principal, c.req.valid('param').id))) {
        throw new ApiError('not_found', 'No template with this id or name.');
      }
      return c.body(null, 204);
    },
  );

  return routes;
}
