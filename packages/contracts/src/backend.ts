import type { BatchItemResult } from './batch';
import type { EmailStatusResponse } from './message-status';
import type { SendEmailRequest } from './send-email';

/** Who is calling: resolved from the API key by `Backend.authenticate`. */
export interface Principal {
  tenantId: string;
  keyId: string;
}

/** W3C trace context (`traceparent`, `tracestate`) carried from the request into the job. */
export type TraceCarrier = Record<string, string>;

export interface SendOptions {
  idempotencyKey?: string;
  trace?: TraceCarrier;
}

/** One item of a batch after validation: either a valid request or the error to report for it. */
export type BatchItem = { index: number; email: SendEmailRequest } | { index: number; error: BatchItemError };
export type BatchItemError = Extract<BatchItemResult, { error: unknown }>['error'];

export interface Readiness {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * The port between the ingest (which runs on Node or Cloudflare Workers) and
 * the relay that stores messages durably. Implementations throw `ApiError`
 * (`idempotency_conflict`, `storage_unavailable`, …); a resolved promise from
 * `sendEmail`/`sendBatch` means the messages are stored.
 */
export interface Backend {
  /** Resolves an API key to its tenant, or null when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<Principal | null>;
  sendEmail(principal: Principal, email: SendEmailRequest, options: SendOptions): Promise<{ id: string }>;
  sendBatch(principal: Principal, items: BatchItem[], options: SendOptions): Promise<BatchItemResult[]>;
  /** Null when the message does not exist or belongs to another tenant. */
  getEmail(principal: Principal, id: string): Promise<EmailStatusResponse | null>;
  readiness(): Promise<Readiness>;
}
