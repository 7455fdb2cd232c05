import { ApiError, type Backend } from '@mailq/contracts';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env';

/** `Authorization: Bearer <api key>` → `c.var.principal`, or 401. */
export function apiKeyAuth(backend: Backend): MiddlewareHandler<AppEnv> {
  return async function authenticate(c, next) {
    const header = c.req.header('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) {
      throw new ApiError('unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
    }
    const principal = await backend.authenticate(match[1]);
    if (!principal) throw new ApiError('unauthorized', 'The API key is not valid.');
    c.set('principal', principal);
    await next();
  };
}
