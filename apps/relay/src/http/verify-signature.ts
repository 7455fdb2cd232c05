import { ApiError, RELAY_MAX_SKEW_S } from '@mailq/contracts';
import { verifyRelayRequest } from '@mailq/signing';
import type { MiddlewareHandler } from 'hono';

export interface SignatureCheckOptions {
  secret: string;
  /** True the first time a nonce is seen; remembered for twice the allowed clock skew. */
  claimNonce: (nonce: string, ttlSeconds: number) => Promise<boolean>;
  now?: () => number;
  onRefused?: (reason: string) => void;
}

/**
 * Lets through only requests signed with RELAY_SECRET, fresh, and never seen
 * before. Every refusal is the same 401, so a caller learns nothing about
 * which part was wrong; the reason goes to the relay's log.
 */
export function requireRelaySignature(options: SignatureCheckOptions): MiddlewareHandler {
  return async function relaySignature(c, next) {
    const body = await c.req.text();
    const url = new URL(c.req.url);
    const verdict = await verifyRelayRequest(
      { method: c.req.method, path: url.pathname + url.search, body, header: (name) => c.req.header(name) },
      options.secret,
      options.now,
    );
    const refuse = (reason: string) => {
      options.onRefused?.(reason);
      throw new ApiError('unauthorized', 'The relay request is not signed, stale or replayed.');
    };
    if (!verdict.ok) return refuse(verdict.reason);
    if (!(await options.claimNonce(verdict.nonce, RELAY_MAX_SKEW_S * 2))) return refuse('replayed');
    await next();
  };
}
