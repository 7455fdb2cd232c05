import { intVar, parseConfig } from '@mailq/contracts';
import { RedisEnv } from '@mailq/queues';
import * as v from 'valibot';

/** Environment of the Node ingest (with the relay in-process), parsed once at start. */
export const IngestEnv = v.object({
  ...RedisEnv.entries,
  /** HTTP port (default 3000). */
  PORT: intVar(3000, 1, 65535, 'a port number (1-65535)'),
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 in containers). */
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  /** Public base URL shown in the OpenAPI document, e.g. https://mail.example.com. */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  /** Refuse senders on unverified domains with 422 (default true; `mailq dev` sets false). */
  REQUIRE_VERIFIED_DOMAIN: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'true'),
  /** Host the return-path CNAME of sending domains points at (default bounces.<PUBLIC_URL host>). */
  RETURN_PATH_HOST: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name'))),
  /** SPF include published for sending domains (default _spf.<PUBLIC_URL host>). */
  SPF_INCLUDE: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,253}$/, 'must be a host name'))),
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});
export type IngestEnv = v.InferOutput<typeof IngestEnv>;

export function loadIngestConfig(env: Record<string, string | undefined>): IngestEnv {
  return parseConfig(IngestEnv, env);
}

/** The relay's settings from the ingest environment. */
export function relaySettings(config: IngestEnv) {
  const platformHost = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname : 'mailq.invalid';
  return {
    requireVerifiedDomain: config.REQUIRE_VERIFIED_DOMAIN === 'true',
    returnPathHost: config.RETURN_PATH_HOST ?? `bounces.${platformHost}`,
    spfInclude: config.SPF_INCLUDE ?? `_spf.${platformHost}`,
  };
}
