import { ApiError, type Backend, type EmailsPort, type Principal } from '@mailq/contracts';
import { describe, expect, it, vi } from 'vitest';
import { createApp } from './app';

const principal: Principal = { tenantId: 'tn_a', keyId: 'key_a' };
const KEY = 'mq_valid_key_000000000000000000';

function fakeBackend(
  overrides: { emails?: Partial<EmailsPort>; readiness?: Backend['readiness'] } = {},
): Backend {
  const unused = async () => {
    throw new Error('not used in this test');
  };
  return {
    authenticate: async (key) => (key === KEY ? principal : null),
    readiness: overrides.readiness ?? (async () => ({ ok: true, checks: { redis: { ok: true } } })),
    emails: {
      send: async () => ({ id: 'msg-1' }),
      sendBatch: async (_p, items) =>
        items.map((item) => ('error' in item ? item : { index: item.index, id: `m${item.index}` })),
      get: async () => null,
      list: async () => ({ data: [], next_cursor: null }),
      cancel: async () => null,
      ...overrides.emails,
    },
    suppressions: { list: unused, add: unused, remove: unused },
    domains: { create: unused, list: unused, get: unused, verify: unused },
    templates: { create: unused, list: unused, get: unused, update: unused, remove: unused },
    webhooks: {
      create: unused,
      list: unused,
      get: unused,
      update: unused,
      remove: unused,
      replay: unused,
      deliveries: unused,
    },
    analytics: { query: unused },
    tracking: { record: unused },
    feedback: { provider: unused, inbound: unused },
  };
}

const logger = () => ({ error: vi.fn(), warn: vi.fn() });
const email = { from: 'a@example.com', to: 'b@example.com', subject: 'Hi', text: 'x' };
const post = (body: unknown) => ({
  method: 'POST',
  headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('createApp', () => {
  it('accepts a valid send with 202 and the id', async () => {
    const sendEmail = vi.fn(async () => ({ id: 'msg-1' }));
    const app = createApp({ backend: fakeBackend({ emails: { send: sendEmail } }), logger: logger() });
    const response = await app.request('/v1/emails', post(email));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ id: 'msg-1' });
    expect(sendEmail).toHaveBeenCalledWith(principal, expect.objectContaining({ to: ['b@example.com'] }), {});
  });

  it('answers 503 storage_unavailable with Retry-After when the backend cannot store', async () => {
    const app = createApp({
      backend: fakeBackend({
        emails: {
          send: async () => {
            throw new ApiError('storage_unavailable', 'down');
          },
        },
      }),
      logger: logger(),
    });
    const response = await app.request('/v1/emails', post(email));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
  });

  it('logs an unexpected error once and answers a generic 500 without its details', async () => {
    const log = logger();
    const app = createApp({
      backend: fakeBackend({
        emails: {
          send: async () => {
            throw new Error('secret internals');
          },
        },
      }),
      logger: log,
    });
    const response = await app.request('/v1/emails', post(email));
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).not.toContain('secret');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('lists issues with paths for an invalid body', async () => {
    const app = createApp({ backend: fakeBackend(), logger: logger() });
    const response = await app.request('/v1/emails', post({ ...email, to: ['ok@example.com', 'bad'] }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues.map((i) => i.path)).toContain('to.1');
  });

  it('reports readiness from the backend', async () => {
    const down = createApp({
      backend: fakeBackend({
        readiness: async () => ({ ok: false, checks: { redis: { ok: false, detail: 'x' } } }),
      }),
      logger: logger(),
    });
    expect((await down.request('/readyz')).status).toBe(503);
    expect((await down.request('/healthz')).status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, and a docs page', async () => {
    const app = createApp({ backend: fakeBackend(), logger: logger() });
    const doc = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/emails', '/v1/emails/batch', '/v1/emails/{id}', '/healthz', '/readyz']),
    );
    expect(doc.paths['/v1/emails']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.paths['/v1/emails']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['202', '400', '401', '409', '413', '503']),
    );
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
  });
});
