import { ApiError, type Backend } from '@mailq/contracts';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppEnv, ClientAddress } from '../app-env';
import { limitBody } from '../middleware/json-body';
import { rejectInvalid } from '../validation';
import { describeRoute, validator } from 'hono-openapi';
import { COMMON_ERRORS, jsonResponse } from './openapi-helpers';

const Provider = v.object({
  provider: v.picklist(['ses', 'sendgrid', 'mailgun', 'postmark'], 'unknown provider'),
});
const Accepted = v.object({ accepted: v.number() });
const PROVIDER_BODY_BYTES = 5 * 1024 * 1024;

/**
 * `POST /v1/providers/:provider`: provider event webhooks. They are not
 * authenticated with an API key but by the provider's own signature, which
 * the relay verifies over the raw body. Our storage errors answer 503 so the
 * provider retries; only forged or malformed requests get a 4xx.
 */
export function providerRoutes(backend: Backend, clientAddress?: ClientAddress): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(
    '/:provider',
    describeRoute({
      summary: 'Provider event webhook (SES via SNS, SendGrid, Mailgun, Postmark)',
      tags: ['Feedback'],
      security: [],
      responses: { 200: jsonResponse(Accepted, 'Verified and queued'), ...COMMON_ERRORS },
    }),
    validator('param', Provider, rejectInvalid),
    limitBody(PROVIDER_BODY_BYTES),
    async (c) => {
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => (headers[name] = value));
      const address = clientAddress?.(c);
      const result = await backend.feedback.provider(c.req.valid('param').provider, {
        rawBody: await c.req.text(),
        headers,
        ...(address ? { remoteAddress: address } : {}),
      });
      return c.json(result, 200);
    },
  );
  return routes;
}

/** `POST /v1/inbound/dsn`: a raw DSN or ARF report (RFC 3464 / RFC 5965) from a bounce mailbox forwarder. */
export function inboundRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(
    '/dsn',
    describeRoute({
      summary:
        'Forward a bounce (DSN) or complaint (ARF) message, raw (message/rfc822); ?envelope_to= the VERP address it came to',
      tags: ['Feedback'],
      responses: { 202: jsonResponse(Accepted, 'Parsed and queued'), ...COMMON_ERRORS },
    }),
    limitBody(PROVIDER_BODY_BYTES),
    async (c) => {
      const raw = await c.req.text();
      if (raw.trim().length === 0)
        throw new ApiError('invalid_request', 'Send the raw message as the request body.');
      const envelopeTo = c.req.query('envelope_to');
      if (envelopeTo !== undefined && !/^[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253}$/.test(envelopeTo)) {
        throw new ApiError('invalid_request', 'envelope_to must be the address the report was sent to.');
      }
      return c.json(await backend.feedback.inbound(c.var.principal, raw, envelopeTo), 202);
    },
  );
  return routes;
}
