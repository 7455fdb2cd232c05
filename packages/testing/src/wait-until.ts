/** Options for {@link waitUntil}. */
export interface WaitUntilOptions {
  /** Give up after this many milliseconds (default 15000). */
  timeoutMs?: number;
  /** Pause between two attempts (default 50). */
  intervalMs?: number;
  /** Message of the Error thrown on timeout. */
  message?: string;
}

// Sentinel that tells a hung attempt apart from any value `fn` may return.
const expiredMarker: unique symbol = Symbol('expired');

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` until it returns something other than `undefined` or `false`, and
 * resolves with that value.
 *
 * An attempt that throws counts as "not yet": services that are still starting
 * typically refuse connections, and that is exactly what we are waiting out. The
 * last such error is attached as `cause` of the timeout error so it is not lost.
 * A single attempt that hangs cannot stretch the deadline either.
 */
export async function waitUntil<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitUntilOptions = {},
): Promise<T> {
  const { timeoutMs = 15_000, intervalMs = 50 } = options;
  const message = options.message ?? `waitUntil: condition not met within ${timeoutMs} ms`;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof expiredMarker>((resolve) => {
      timer = setTimeout(() => resolve(expiredMarker), remaining);
    });
    try {
      const value = await Promise.race([Promise.resolve().then(fn), expired]);
      if (value === expiredMarker) break;
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    } finally {
      clearTimeout(timer);
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(message + detail, lastError === undefined ? undefined : { cause: lastError });
}
