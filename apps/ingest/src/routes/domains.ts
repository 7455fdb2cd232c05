import { ApiError, Domain, DomainInput, PageQuery, pageOf, type Backend } from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute, validator } from 'hono-openapi';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { limitBody, requireJson } from '../middleware/json-body';
import { rejectInvalid } from '../validation';
import { COMMON_ERRORS, NOT_FOUND, jsonResponse } from './openapi-helpers';

const DomainId = v.object({ id: v.pipe(v.string(), v.regex(/^dom_[A-Za-z0-9]{1,40}$/, 'not a domain id')) });

/** `/v1/domains`: sending domains, the DNS records to publish (DKIM, SPF, DMARC, return path), verification. */
export function domainRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const found = (domain: Domain | null): Domain => {
    if (!domain) throw new ApiError('not_found', 'No domain with this id.');
    return domain;
  };

  routes.get(
    '/',
    describeRoute({
      summary: 'List sending domains',
      tags: ['Domains'],
      responses: { 200: jsonResponse(pageOf(Domain), 'A page of domains'), ...COMMON_ERRORS },
    }),
    validator('query', PageQuery, rejectInvalid),
    async (c) => c.json(await backend.domains.list(c.var.principal, c.req.valid('query')), 200),
  );

  routes.post(
    '/',
    describeRoute({
      summary: 'Add a sending domain: generates its DKIM key and lists the DNS records to publish',
      tags: ['Domains'],
      responses: {
        201: jsonResponse(Domain, 'Created'),
        409: jsonResponse(Domain, 'Exists'),
        ...COMMON_ERRORS,
      },
    }),
    limitBody(16 * 1024),
    requireJson(),
    validator('json', DomainInput, rejectInvalid),
    async (c) => c.json(await backend.domains.create(c.var.principal, c.req.valid('json')), 201),
  );

  routes.get(
    '/:id',
    describeRoute({
      summary: 'A sending domain',
      tags: ['Domains'],
      responses: { 200: jsonResponse(Domain, 'The domain'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', DomainId, rejectInvalid),
    async (c) => c.json(found(await backend.domains.get(c.var.principal, c.req.valid('param').id)), 200),
  );

  routes.post(
    '/:id/verify',
    describeRoute({
      summary: 'Look the records up in DNS; verified once DKIM and SPF are found',
      tags: ['Domains'],
      responses: { 200: jsonResponse(Domain, 'The domain with its checks'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', DomainId, rejectInvalid),
    async (c) => c.json(found(await backend.domains.verify(c.var.principal, c.req.valid('param').id)), 200),
  );

  return routes;
}
