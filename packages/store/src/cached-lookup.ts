/** A memoised async lookup; `forget` drops what it remembers of one key. */
export interface CachedLookup<T> {
  (key: string): Promise<T>;
  forget(key: string): void;
}

export interface CachedLookupOptions<T> {
  /** Clock in ms (default `Date.now`); tests drive it by hand. */
  now?: () => number;
  /** Which results to remember (default all): e.g. never an unknown API key, so a new one works at once. */
  keep?: (value: T) => boolean;
  /** Keys remembered at most; beyond it the memory starts over (bounds what callers can make it hold). */
  maxEntries?: number;
}

/**
 * Remembers an async lookup per key for `ttlMs`, so a hot path (every request,
 * every delivery) asks Redis once per period instead of once per call. What it
 * returns can be up to `ttlMs` old: callers state that delay where it matters
 * (a new webhook endpoint, a paused tenant, a deleted API key).
 */
export function cachedLookup<T>(
  ttlMs: number,
  load: (key: string) => Promise<T>,
  options: CachedLookupOptions<T> = {},
): CachedLookup<T> {
  const { now = () => Date.now(), keep = () => true, maxEntries = 10_000 } = options;
  const entries = new Map<string, { value: T; until: number }>();
  const lookup = async (key: string): Promise<T> => {
    const hit = entries.get(key);
    if (hit && hit.until > now()) return hit.value;
    const value = await load(key);
    if (!keep(value)) {
      entries.delete(key);
      return value;
    }
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, { value, until: now() + ttlMs });
    return value;
  };
  return Object.assign(lookup, { forget: (key: string) => void entries.delete(key) });
}
