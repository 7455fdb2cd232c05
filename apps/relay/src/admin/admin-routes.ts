import { ApiError, toValidationIssues } from '@mailq/contracts';
import { QUEUE_KINDS, type QueueKind } from '@mailq/queues';
import type { Stores } from '@mailq/store';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { HTTPException } from 'hono/http-exception';
import * as v from 'valibot';
import { bullBoard } from './bull-board';
import { FailedFilter } from './failed-jobs';
import type { QueueAdmin } from './queue-admin';

export interface AdminCredentials {
  user: string;
  password: string;
}

const Queue = v.picklist(
  QUEUE_KINDS as [QueueKind, ...QueueKind[]],
  `queue must be one of ${QUEUE_KINDS.join(', ')}`,
);
const Domain = v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a domain name'));
const TenantId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a tenant id'));
const Drain = v.strictObject({
  /** How long to wait for jobs in flight (default 60 s, at most 10 min). */
  timeout_ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000)), 60_000),
});

function parse<T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new ApiError('invalid_request', 'The admin request is invalid.', toValidationIssues(result.issues));
  }
  return result.output;
}

/**
 * The operator's API under `/admin` (HTTP Basic with ADMIN_USER / ADMIN_PASSWORD):
 * `/admin/v1/...` JSON actions and Bull Board at `/admin/queues`.
 */
export function adminRoutes(admin: QueueAdmin, stores: Stores, credentials: AdminCredentials): Hono {
  const routes = new Hono();
  // Own error handling, whichever app mounts this: Basic auth's 401 must keep its
  // WWW-Authenticate header so a browser asks for the credentials.
  routes.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof ApiError) {
      const issues = error.issues ? { issues: error.issues } : {};
      return c.json({ error: { code: error.code, message: error.message, ...issues } }, error.status as 400);
    }
    throw error;
  });
  routes.use(
    '*',
    basicAuth({ username: credentials.user, password: credentials.password, realm: 'Mail Queue admin' }),
  );
  routes.route('/queues', bullBoard(admin.entries, '/admin/queues'));

  const api = new Hono();
  const body = async (c: { req: { json(): Promise<unknown> } }) => c.req.json().catch(() => ({}));
  api.get('/queues', async (c) => c.json({ data: await admin.status() }));
  api.post('/queues/:queue/pause', async (c) =>
    c.json({ paused: await admin.pause(parse(Queue, c.req.param('queue'))) }),
  );
  api.post('/queues/:queue/resume', async (c) =>
    c.json({ resumed: await admin.resume(parse(Queue, c.req.param('queue'))) }),
  );
  api.get('/queues/:queue/failed', async (c) => {
    const query = c.req.query();
    const filter = parse(FailedFilter, { ...query, ...(query.limit ? { limit: Number(query.limit) } : {}) });
    return c.json({ data: await admin.failed(parse(Queue, c.req.param('queue')), filter) });
  });
  api.post('/queues/:queue/failed/retry', async (c) => {
    const filter = parse(FailedFilter, await body(c));
    return c.json({ retried: await admin.retryFailed(parse(Queue, c.req.param('queue')), filter) });
  });
  api.post('/queues/:queue/failed/purge', async (c) => {
    const filter = parse(FailedFilter, await body(c));
    return c.json({ purged: await admin.purgeFailed(parse(Queue, c.req.param('queue')), filter) });
  });
  api.post('/drain', async (c) => {
    const { timeout_ms } = parse(Drain, await body(c));
    const report = await admin.drain({ timeoutMs: timeout_ms });
    return c.json(report, report.drained ? 200 : 409);
  });
  api.post('/resume', async (c) => c.json({ resumed: await admin.resume() }));
  api.get('/pauses', async (c) => c.json(await stores.pauses.list()));
  api.post('/tenants/:id/pause', async (c) => {
    const id = parse(TenantId, c.req.param('id'));
    if (!(await stores.tenants.get(id))) throw new ApiError('not_found', `No tenant ${id}.`);
    await stores.pauses.pauseTenant(id);
    return c.json({ tenant: id, paused: true });
  });
  api.post('/tenants/:id/resume', async (c) => {
    const id = parse(TenantId, c.req.param('id'));
    return c.json({ tenant: id, paused: false, was_paused: await stores.pauses.resumeTenant(id) });
  });
  api.post('/destinations/:domain/pause', async (c) => {
    const domain = await stores.pauses.pauseDestination(parse(Domain, c.req.param('domain')));
    return c.json({ domain, paused: true });
  });
  api.post('/destinations/:domain/resume', async (c) => {
    const domain = parse(Domain, c.req.param('domain'));
    return c.json({ domain, paused: false, was_paused: await stores.pauses.resumeDestination(domain) });
  });
  routes.route('/v1', api);
  return routes;
}
