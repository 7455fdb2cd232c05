import { ApiError } from '@mailq/contracts';

/**
 * Anything that went wrong while writing to Redis (connection down, timeout,
 * OOM under noeviction, CLUSTERDOWN, READONLY during failover) means the
 * message is not durably stored: the caller gets 503, never a 2xx.
 */
export function storageUnavailable(cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const error = new ApiError('storage_unavailable', 'The message could not be stored durably; retry later.');
  error.cause = reason;
  return error;
}

/** Runs a storage operation, turning any failure that is not already an ApiError into a 503. */
export async function durably<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw storageUnavailable(error);
  }
}
