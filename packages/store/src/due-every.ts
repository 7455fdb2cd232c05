/**
 * Says whether a per-key chore (trimming a tenant's expired entries) is due: at
 * most once per `everyMs` per key in this process, so it stays off the hot path.
 */
export function dueEvery(everyMs: number): (key: string, now: number) => boolean {
  const last = new Map<string, number>();
  return (key, now) => {
    if (now - (last.get(key) ?? -Infinity) < everyMs) return false;
    last.set(key, now);
    return true;
  };
}
