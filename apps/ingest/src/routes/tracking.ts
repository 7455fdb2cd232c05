import { ApiError, type Backend, type TrackingHit } from '@mailq/contracts';
import { verifyTrackingToken, type TrackingKeys } from '@mailq/signing';
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv, IngestLogger } from '../app-env';

// The smallest transparent GIF (43 bytes): what an open pixel answers.
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) =>
  c.charCodeAt(0),
);

/**
 * `GET /t/o/:token` (open pixel) and `GET /t/c/:token` (click redirect). Tokens
 * are verified here with the tracking keys (no lookup); a tampered, foreign or
 * unknown token gets 404 — never a redirect — and only http(s) targets exist.
 * Recording is best effort: a storage hiccup must not break the reader's click.
 */
export function trackingRoutes(backend: Backend, keys: TrackingKeys, logger: IngestLogger): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const record = async (c: Context<AppEnv>, hit: TrackingHit) => {
    try {
      await backend.tracking.record(hit);
    } catch (error) {
      logger.warn({ requestId: c.get('requestId'), err: String(error) }, 'tracking event not recorded');
    }
  };
  const hitOf = (
    kind: TrackingHit['kind'],
    claims: { m: string; t: string; r?: string; u?: string },
    c: Context<AppEnv>,
  ): TrackingHit => ({
    kind,
    tenantId: claims.t,
    messageId: claims.m,
    ...(claims.r ? { recipient: claims.r } : {}),
    ...(claims.u ? { url: claims.u } : {}),
    ...(c.req.header('user-agent') ? { userAgent: c.req.header('user-agent') } : {}),
  });

  routes.get(
    '/o/:token',
    describeRoute({ summary: 'Open-tracking pixel', tags: ['Tracking'], security: [] }),
    async (c) => {
      const claims = await verifyTrackingToken(c.req.param('token'), keys, { kind: 'o' });
      if (claims) await record(c, hitOf('open', claims, c));
      // Even an unknown token gets the pixel: a broken image helps nobody.
      return c.body(PIXEL, 200, { 'content-type': 'image/gif', 'cache-control': 'no-store, max-age=0' });
    },
  );

  routes.get(
    '/c/:token',
    describeRoute({ summary: 'Click redirect', tags: ['Tracking'], security: [] }),
    async (c) => {
      const claims = await verifyTrackingToken(c.req.param('token'), keys, { kind: 'c' });
      if (!claims?.u) throw new ApiError('not_found', 'Unknown link.');
      await record(c, hitOf('click', claims, c));
      c.header('cache-control', 'no-store');
      return c.redirect(claims.u, 302);
    },
  );

  return routes;
}
