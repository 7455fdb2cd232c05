import { ApiError, type Backend, type RelayMethod } from '@mailq/contracts';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Calls the `Backend` method a relay request names. Only names from the
 * closed `RELAY_METHODS` list reach here, so a request can never call
 * anything else on the backend object (its stores, `close`, prototypes).
 */
export async function dispatch(backend: Backend, method: RelayMethod, args: unknown[]): Promise<unknown> {
  const [first, second] = method.split('.') as [string, string | undefined];
  const target = second === undefined ? backend : (backend as unknown as Record<string, unknown>)[first];
  const name = second ?? first;
  const fn = (target as Record<string, unknown> | undefined)?.[name];
  if (typeof fn !== 'function') throw new ApiError('not_found', `No relay method ${method}.`);
  return (fn as AnyMethod).apply(target, args);
}
