import { intVar, parseConfig } from '@mailq/contracts';
import { IngestEnv } from '@mailq/ingest';
import { WorkerEnv } from '@mailq/worker';
import * as v from 'valibot';

/** `mailq dev`: the ingest's and the worker's variables, plus the dev ones. */
export const DevEnv = v.object({
  ...IngestEnv.entries,
  ...WorkerEnv.entries,
  /** Use this dev API key instead of a generated one. */
  MAILQ_DEV_API_KEY: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^mq_[A-Za-z0-9_-]{20,100}$/, 'must look like mq_ followed by 20-100 URL-safe characters'),
    ),
  ),
  /** Where dev data lives (default .data). */
  MAILQ_DATA_DIR: v.optional(v.pipe(v.string(), v.minLength(1)), '.data'),
  /** Dev accepts any sender domain (production refuses unverified ones with 422). */
  REQUIRE_VERIFIED_DOMAIN: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  /** Dev lets webhook endpoints live on this machine (a local receiver). */
  WEBHOOK_ALLOW_LOOPBACK: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'true'),
  /** Retries come fast in dev (default 2 s) so deferrals are visible without waiting. */
  RETRY_BASE_DELAY_MS: intVar(2_000, 10, 3_600_000, 'milliseconds from 10 to 3600000'),
});
export type DevEnv = v.InferOutput<typeof DevEnv>;

export function loadDevConfig(env: Record<string, string | undefined>): DevEnv {
  return parseConfig(DevEnv, env);
}
