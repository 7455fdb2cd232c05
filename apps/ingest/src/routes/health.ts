import type { Backend } from '@mailq/contracts';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../app-env';

/** `/healthz` (the process answers) and `/readyz` (Redis reachable; cluster state ok). */
export function healthRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/healthz', describeRoute({ summary: 'Liveness', tags: ['Health'] }), (c) =>
    c.json({ status: 'ok' }),
  );
  routes.get(
    '/readyz',
    describeRoute({ summary: 'Readiness: Redis reachable', tags: ['Health'] }),
    async (c) => {
      const readiness = await backend.readiness();
      return c.json(
        { status: readiness.ok ? 'ok' : 'unavailable', checks: readiness.checks },
        readiness.ok ? 200 : 503,
      );
    },
  );
  return routes;
}
