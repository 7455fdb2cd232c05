import {
  ApiError,
  LIMITS,
  SendEmailRequest,
  messageSizeBytes,
  toValidationIssues,
  type BatchItem,
  type ValidationIssue,
} from '@mailq/contracts';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import * as v from 'valibot';

/** Hook for hono-openapi's `validator`: a failed parse becomes one `invalid_request` with its issues. */
export function rejectInvalid(result: { success: boolean; error?: readonly StandardSchemaV1.Issue[] }): void {
  if (result.success) return;
  const issues: ValidationIssue[] = (result.error ?? []).map((issue) => ({
    path: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.'),
    message: issue.message,
  }));
  throw new ApiError('invalid_request', 'The request is invalid; see issues.', issues);
}

/** Throws 413 when a valid message is larger than the platform accepts. */
export function assertMessageSize(email: SendEmailRequest): void {
  const size = messageSizeBytes(email);
  if (size > LIMITS.maxMessageBytes) {
    throw new ApiError(
      'payload_too_large',
      `The message is ${size} bytes; text, html and attachments may take ${LIMITS.maxMessageBytes} bytes.`,
    );
  }
}

/** Validates each batch item on its own, so one bad item does not refuse the others. */
export function validateBatchItems(items: readonly unknown[]): BatchItem[] {
  return items.map((item, index) => {
    const parsed = v.safeParse(SendEmailRequest, item);
    if (!parsed.success) {
      const error = new ApiError(
        'invalid_request',
        'This email is invalid; see issues.',
        toValidationIssues(parsed.issues),
      );
      return { index, error: { code: error.code, message: error.message, issues: error.issues } };
    }
    try {
      assertMessageSize(parsed.output);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { index, error: { code: error.code, message: error.message } };
    }
    return { index, email: parsed.output };
  });
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The optional `Idempotency-Key` header: 1-255 visible ASCII characters. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ApiError('invalid_request', 'Idempotency-Key must be 1-255 visible ASCII characters.');
  }
  return header;
}
