import { ApiError } from '@mailq/contracts';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../app-env';

/** Refuses bodies over `maxBytes` with 413 before they are read whole. */
export function limitBody(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large', `The request body exceeds ${maxBytes} bytes.`);
    },
  });
}

/**
 * Requires `Content-Type: application/json` (415 otherwise) and a body that
 * parses (400 `invalid_json`); the parsed body is cached for the validator.
 */
export function requireJson(): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
      throw new ApiError(
        'unsupported_media_type',
        'Send the body as JSON with "Content-Type: application/json".',
      );
    }
    try {
      await c.req.json();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('invalid_json', 'The request body is not valid JSON.');
    }
    await next();
  };
}
