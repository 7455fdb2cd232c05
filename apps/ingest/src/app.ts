import { swaggerUI } from '@hono/swagger-ui';
import { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import { requestId } from 'hono/request-id';
import type { AppDeps, AppEnv } from './app-env';
import { apiKeyAuth } from './middleware/auth';
import { errorHandler, notFoundHandler } from './middleware/error-handler';
import { traceRequests } from './middleware/tracing';
import { analyticsRoutes } from './routes/analytics';
import { domainRoutes } from './routes/domains';
import { inboundRoutes, providerRoutes } from './routes/feedback';
import { emailRoutes } from './routes/emails';
import { healthRoutes } from './routes/health';
import { suppressionRoutes } from './routes/suppressions';
import { templateRoutes } from './routes/templates';
import { trackingRoutes } from './routes/tracking';
import { webhookRoutes } from './routes/webhooks';

/**
 * The ingest API as a Hono app. Runtime-neutral: it receives its ports and
 * imports nothing Node-only, so the same app runs on Node and on Workers.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(traceRequests());
  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundHandler);

  app.route('/', healthRoutes(deps.backend));
  if (deps.trackingKeys) app.route('/t', trackingRoutes(deps.backend, deps.trackingKeys, deps.logger));
  // Registered before the API-key middleware: providers authenticate with their own signatures.
  app.route('/v1/providers', providerRoutes(deps.backend, deps.clientAddress));
  app.use('/v1/*', apiKeyAuth(deps.backend));
  app.route('/v1/emails', emailRoutes(deps.backend));
  app.route('/v1/suppressions', suppressionRoutes(deps.backend));
  app.route('/v1/domains', domainRoutes(deps.backend));
  app.route('/v1/templates', templateRoutes(deps.backend));
  app.route('/v1/webhooks', webhookRoutes(deps.backend));
  app.route('/v1/analytics', analyticsRoutes(deps.backend));
  app.route('/v1/inbound', inboundRoutes(deps.backend));

  app.get(
    '/openapi.json',
    openAPIRouteHandler(app, {
      documentation: {
        info: {
          title: 'Mail Queue API',
          version: '1.0.0',
          description: 'Transactional email: send, track status, and receive events.',
        },
        servers: deps.publicUrl ? [{ url: deps.publicUrl }] : [],
        components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
        security: [{ apiKey: [] }],
      },
    }),
  );
  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'Mail Queue API' }));
  return app;
}
