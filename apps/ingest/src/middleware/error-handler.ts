import { ApiError, type ErrorEnvelope } from '@mailq/contracts';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, IngestLogger } from '../app-env';

/** The envelope every error answer uses. */
export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body: ErrorEnvelope = {
    error: {
      code: error.code,
      message: error.message,
      requestId: c.get('requestId'),
      ...(error.issues ? { issues: error.issues } : {}),
    },
  };
  if (error.code === 'rate_limited' || error.code === 'storage_unavailable') c.header('Retry-After', '5');
  return c.json(body, error.status as ContentfulStatusCode);
}

// Hono's own exceptions (e.g. from the JSON validator) mapped into the closed set.
function fromHttpException(error: HTTPException): ApiError {
  if (error.status === 413) return new ApiError('payload_too_large', 'The request body is too large.');
  if (error.status === 415) return new ApiError('unsupported_media_type', error.message);
  if (error.status === 401) return new ApiError('unauthorized', error.message);
  if (error.status < 500) return new ApiError('invalid_request', error.message || 'Invalid request.');
  return new ApiError('internal_error', 'Internal error.');
}

/** The one `onError`: known errors become their envelope; unknown ones are logged once and answered 500. */
export function errorHandler(logger: IngestLogger): ErrorHandler<AppEnv> {
  return async function handleError(error, c) {
    if (error instanceof ApiError) {
      if (error.code === 'storage_unavailable') {
        logger.warn({ requestId: c.get('requestId'), cause: String(error.cause) }, 'storage unavailable');
      }
      return errorResponse(c, error);
    }
    if (error instanceof HTTPException) return errorResponse(c, fromHttpException(error));
    logger.error({ requestId: c.get('requestId'), err: error }, 'unhandled error');
    return errorResponse(c, new ApiError('internal_error', 'Internal error.'));
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
