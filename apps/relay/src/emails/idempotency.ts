import { ApiError, type Principal, type SendOptions } from '@mailq/contracts';
import type { IdempotencyStore } from '@mailq/store';
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { durably } from '../storage-errors';

/** SHA-256 of the request body as validated: the same body always gives the same fingerprint. */
export function fingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** What a request gives its messages before storing them: their ids, in order, and the time of acceptance. */
export const Attempt = v.object({ ids: v.array(v.string()), at: v.string() });
export type Attempt = v.InferOutput<typeof Attempt>;

export interface IdempotentRequest {
  idempotency: IdempotencyStore;
  principal: Principal;
  options: SendOptions;
  body: unknown;
  /** This request's own attempt: used unless it resumes an earlier one. */
  attempt: Attempt;
}

/**
 * Runs `store` under the request's Idempotency-Key (if it has one; the body's
 * fingerprint is computed only then) and keeps the result it returns: a replay
 * of a completed request returns that result, a different body or a request
 * still in flight is a 409.
 *
 * A store that failed with a storage error may still have been written, in part
 * or whole, so the claim keeps its attempt and the next retry resumes it:
 * `store` runs again with the same ids and `resumed` set, and must then leave
 * whatever is already stored as it is. A request refused before anything was
 * stored (any other error) gives the key back.
 */
export async function withIdempotency(
  request: IdempotentRequest,
  store: (attempt: Attempt, resumed: boolean) => Promise<string>,
): Promise<string> {
  const { idempotency, principal, options, attempt } = request;
  const key = options.idempotencyKey;
  if (key === undefined) return store(attempt, false);
  const tenantId = principal.tenantId;
  const print = fingerprint(request.body);
  const claim = await durably(() =>
    idempotency.claim(tenantId, key, print, JSON.stringify(attempt), Date.parse(attempt.at)),
  );
  if (claim.status === 'replay') return claim.value;
  if (claim.status === 'conflict') {
    throw new ApiError(
      'idempotency_conflict',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
  if (claim.status === 'in_progress') {
    throw new ApiError(
      'idempotency_conflict',
      'A request with this Idempotency-Key is still in progress; retry in a moment.',
    );
  }
  const earlier = claim.status === 'resume' ? earlierAttempt(claim.attempt, attempt) : undefined;
  try {
    const value = await store(earlier ?? attempt, earlier !== undefined);
    await durably(() => idempotency.complete(tenantId, key, print, value));
    return value;
  } catch (error) {
    const mayBeStored = !(error instanceof ApiError) || error.code === 'storage_unavailable';
    await (mayBeStored ? idempotency.fail(tenantId, key) : idempotency.release(tenantId, key)).catch(
      () => undefined,
    );
    throw error;
  }
}

// The attempt a resumed claim kept; none from a claim written before attempts were kept, or one
// whose ids do not fit this request (same body, so same number of messages, unless corrupted).
function earlierAttempt(kept: string, own: Attempt): Attempt | undefined {
  try {
    const parsed = v.safeParse(Attempt, JSON.parse(kept));
    return parsed.success && parsed.output.ids.length === own.ids.length ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
