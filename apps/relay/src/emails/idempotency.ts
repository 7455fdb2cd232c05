import { ApiError, type Principal, type SendOptions } from '@mailq/contracts';
import type { IdempotencyStore } from '@mailq/store';
import { createHash } from 'node:crypto';
import { durably } from '../storage-errors';

/** SHA-256 of the request body as validated: the same body always gives the same fingerprint. */
export function fingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Runs `store` under the request's Idempotency-Key (if it has one; the body's
 * fingerprint is computed only then) and keeps the result it returns: a replay of a completed request returns that result, a different body or a request still in
 * flight is a 409, and a failed store gives the key back.
 */
export async function withIdempotency(
  idempotency: IdempotencyStore,
  principal: Principal,
  options: SendOptions,
  body: unknown,
  store: () => Promise<string>,
): Promise<string> {
  const key = options.idempotencyKey;
  if (key === undefined) return store();
  const print = fingerprint(body);
  const claim = await durably(() => idempotency.claim(principal.tenantId, key, print, ''));
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
  try {
    const value = await store();
    await durably(() => idempotency.complete(principal.tenantId, key, print, value));
    return value;
  } catch (error) {
    await idempotency.release(principal.tenantId, key).catch(() => undefined);
    throw error;
  }
}
