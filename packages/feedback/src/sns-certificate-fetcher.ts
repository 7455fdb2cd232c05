/** Options of {@link createSnsCertificateFetcher}. */
export interface SnsCertificateFetcherOptions {
  /** Give up on a fetch after this long; default 5000 ms. */
  timeoutMs?: number;
  /** Certificates kept in memory; default 20 (SNS signs with one per region at a time). */
  maxEntries?: number;
  /** Largest response accepted; default 16 KiB (a PEM certificate is ~2 KiB). */
  maxBytes?: number;
}

/**
 * A `fetchCertificate` for `verifySnsMessage`: fetches once per URL and keeps
 * the PEM in memory (SNS uses one certificate for months; its URL changes when
 * it does). Redirects are refused, because `verifySnsMessage` vetted this URL,
 * not wherever it might redirect to. Failures reject and are not cached.
 */
export function createSnsCertificateFetcher(
  options: SnsCertificateFetcherOptions = {},
): (url: string) => Promise<string> {
  const { timeoutMs = 5000, maxEntries = 20, maxBytes = 16 * 1024 } = options;
  const cache = new Map<string, Promise<string>>();

  return async function fetchSnsCertificate(url: string): Promise<string> {
    const cached = cache.get(url);
    if (cached) return cached;
    const pending = download(url, timeoutMs, maxBytes);
    cache.set(url, pending);
    pending.catch(() => cache.delete(url));
    // Oldest first in a Map: evict from the front.
    for (const key of cache.keys()) {
      if (cache.size <= maxEntries) break;
      cache.delete(key);
    }
    return pending;
  };
}

async function download(url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`SNS certificate fetch failed: HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new Error('SNS certificate response too large');
  const body = await response.text();
  if (body.length > maxBytes || !body.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error('SNS certificate response is not a PEM certificate');
  }
  return body;
}
