import { RELAY_SECRET_MIN_LENGTH, intVar, parseConfig } from '@mailq/contracts';
import * as v from 'valibot';

/**
 * Bindings of the edge ingest (wrangler.toml `[vars]` and `wrangler secret put`).
 * Runtime-neutral: no Redis here, only the relay's address and secret.
 */
export const EdgeEnv = v.object({
  /** The relay's base URL (`mailq relay`), e.g. https://relay.example.com. */
  RELAY_URL: v.pipe(v.string('is required (the URL of mailq relay)'), v.url('must be a URL')),
  /** Shared with the relay; a secret binding. */
  RELAY_SECRET: v.pipe(
    v.string('is required (a secret: wrangler secret put RELAY_SECRET)'),
    v.minLength(RELAY_SECRET_MIN_LENGTH, `must be at least ${RELAY_SECRET_MIN_LENGTH} characters`),
  ),
  /** How long one relay call may take before the ingest answers 503, ms (default 10000). */
  RELAY_TIMEOUT_MS: intVar(10_000, 100, 60_000, 'milliseconds from 100 to 60000'),
  /** Public base URL shown in the OpenAPI document. */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  /** Tracking signing keys, `id:secret[,id:secret…]` (a secret binding); enables /t/o and /t/c. */
  TRACKING_KEYS: v.optional(v.string()),
});
export type EdgeEnv = v.InferOutput<typeof EdgeEnv>;

/** Reads the string bindings (Workers also passes KV, queues… as objects; those are ignored). */
export function loadEdgeConfig(bindings: Record<string, unknown>): EdgeEnv {
  const strings = Object.fromEntries(
    Object.entries(bindings).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  return parseConfig(EdgeEnv, strings);
}
