import * as v from 'valibot';

/** The closed set of error codes and the HTTP status each one answers with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  /** Mailgun stops retrying a webhook only on 406, so refusals of forged Mailgun requests use it. */
  not_acceptable: 406,
  idempotency_conflict: 409,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  domain_not_verified: 422,
  rate_limited: 429,
  internal_error: 500,
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = v.picklist(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const ValidationIssue = v.object({ path: v.string(), message: v.string() });
export type ValidationIssue = v.InferOutput<typeof ValidationIssue>;

export const ErrorBody = v.object({
  code: ErrorCode,
  message: v.string(),
  requestId: v.optional(v.string()),
  issues: v.optional(v.array(ValidationIssue)),
});
export type ErrorBody = v.InferOutput<typeof ErrorBody>;

/** Every error answer: `{"error":{"code","message","requestId","issues?"}}`. */
export const ErrorEnvelope = v.object({ error: ErrorBody });
export type ErrorEnvelope = v.InferOutput<typeof ErrorEnvelope>;

/**
 * The one error type of the API. Code paths throw it with a code from the
 * closed set; the ingest's `onError` turns it into the envelope and status.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

/** Flattens valibot issues into `{path, message}` pairs with dotted paths. */
export function toValidationIssues(issues: readonly v.BaseIssue<unknown>[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((item) => String(item.key)).join('.'),
    message: issue.message,
  }));
}
