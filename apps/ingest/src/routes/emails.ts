import {
  BatchRequest,
  BatchResponse,
  EmailStatusResponse,
  EmailSummary,
  ListEmailsQuery,
  pageOf,
  ErrorEnvelope,
  LIMITS,
  SendEmailRequest,
  SendEmailResponse,
  ApiError,
  toValidationIssues,
  type Backend,
} from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute, resolver, validator } from 'hono-openapi';
import { COMMON_ERRORS, NOT_FOUND, jsonResponse } from './openapi-helpers';
import * as v from 'valibot';
import type { AppEnv } from '../app-env';
import { limitBody, requireJson } from '../middleware/json-body';
import { assertMessageSize, idempotencyKey, rejectInvalid, validateBatchItems } from '../validation';

const json = jsonResponse;
const errors = {
  ...COMMON_ERRORS,
  409: json(ErrorEnvelope, 'Idempotency-Key reused with a different body, or still in progress'),
  413: json(ErrorEnvelope, 'Body or message too large'),
  422: json(ErrorEnvelope, 'The sender domain is not verified'),
  503: json(
    ErrorEnvelope,
    'The message could not be stored durably and was not accepted; retry with the same Idempotency-Key',
  ),
};
const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header' as const,
  required: false,
  description:
    'Repeat a request safely for 24 h: the same key and body return the same id, also after a 503 ' +
    '(the retry stores the same message, never a second one).',
  schema: { type: 'string' as const, maxLength: 255 },
};
const EmailId = v.object({ id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an email id')) });

/** `/v1/emails`: send one, send a batch, read status. */
export function emailRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post(
    '/',
    describeRoute({
      summary: 'Send an email',
      tags: ['Emails'],
      parameters: [idempotencyHeader],
      responses: { 202: json(SendEmailResponse, 'Accepted and durably stored'), ...errors },
    }),
    limitBody(LIMITS.maxSingleBodyBytes),
    requireJson(),
    validator('json', SendEmailRequest, rejectInvalid),
    async (c) => {
      const email = c.req.valid('json');
      assertMessageSize(email);
      const key = idempotencyKey(c.req.header('idempotency-key'));
      const { id } = await backend.emails.send(
        c.var.principal,
        email,
        key === undefined ? {} : { idempotencyKey: key },
      );
      return c.json({ id }, 202);
    },
  );

  routes.post(
    '/batch',
    describeRoute({
      summary: `Send up to ${LIMITS.maxBatchItems} emails`,
      description:
        'Each item is validated and accepted on its own; the answer lists an id or an error per item.',
      tags: ['Emails'],
      parameters: [idempotencyHeader],
      requestBody: { content: { 'application/json': { schema: resolver(v.array(SendEmailRequest)) } } },
      responses: { 200: json(BatchResponse, 'Per-item results, in request order'), ...errors },
    }),
    limitBody(LIMITS.maxBatchBodyBytes),
    requireJson(),
    async (c) => {
      // Validated here rather than by `validator()`, so the OpenAPI document
      // shows the item schema while each item is still checked on its own.
      const batch = v.safeParse(BatchRequest, await c.req.json());
      if (!batch.success) {
        throw new ApiError(
          'invalid_request',
          'The request is invalid; see issues.',
          toValidationIssues(batch.issues),
        );
      }
      const items = validateBatchItems(batch.output);
      const key = idempotencyKey(c.req.header('idempotency-key'));
      const data = await backend.emails.sendBatch(
        c.var.principal,
        items,
        key === undefined ? {} : { idempotencyKey: key },
      );
      return c.json({ data }, 200);
    },
  );

  routes.get(
    '/',
    describeRoute({
      summary: 'Search recent emails, newest first',
      tags: ['Emails'],
      responses: { 200: json(pageOf(EmailSummary), 'A page of emails'), ...COMMON_ERRORS },
    }),
    validator('query', ListEmailsQuery, rejectInvalid),
    async (c) => c.json(await backend.emails.list(c.var.principal, c.req.valid('query')), 200),
  );

  routes.delete(
    '/:id',
    describeRoute({
      summary: 'Cancel a scheduled or not-yet-sent email',
      tags: ['Emails'],
      responses: {
        200: json(EmailStatusResponse, 'Cancelled'),
        409: json(ErrorEnvelope, 'Sending has already started'),
        ...NOT_FOUND,
        ...COMMON_ERRORS,
      },
    }),
    validator('param', EmailId, rejectInvalid),
    async (c) => {
      const email = await backend.emails.cancel(c.var.principal, c.req.valid('param').id);
      if (!email) throw new ApiError('not_found', 'No email with this id.');
      return c.json(email, 200);
    },
  );

  routes.get(
    '/:id',
    describeRoute({
      summary: 'Status of an email, per recipient, with its event timeline',
      tags: ['Emails'],
      responses: { 200: json(EmailStatusResponse, 'The email'), ...NOT_FOUND, ...COMMON_ERRORS },
    }),
    validator('param', EmailId, rejectInvalid),
    async (c) => {
      const email = await backend.emails.get(c.var.principal, c.req.valid('param').id);
      if (!email) throw new ApiError('not_found', 'No email with this id.');
      return c.json(email, 200);
    },
  );

  return routes;
}
