import { ConfigError, intVar, parseConfig } from '@mailq/contracts';
import { parseClassificationOverrides } from '@mailq/mail';
import { RedisEnv } from '@mailq/queues';
import { parseTrackingKeys } from '@mailq/signing';
import { parseDestinationOverrides } from '@mailq/store';
import * as v from 'valibot';

/** The worker's environment, parsed once at start (DESIGN §2). */
export const WorkerEnv = v.object({
  ...RedisEnv.entries,
  /** Smarthost, `smtp://user:pass@host:port` or `smtps://` for implicit TLS. */
  SMTP_URL: v.optional(
    v.pipe(v.string(), v.regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://[user:pass@]host:port')),
  ),
  /** `smtp` (smarthost SMTP_URL), `mx` (direct to each domain's MX) or `capture` (dev capture server). */
  DELIVERY_MODE: v.optional(v.picklist(['smtp', 'mx', 'capture'], 'must be smtp, mx or capture'), 'smtp'),
  /** Port of MX hosts in mx mode (default 25; tests point it at a local server). */
  MX_PORT: intVar(25, 1, 65535, 'a port number (1-65535)'),
  /** Name this host gives in EHLO (default: the machine's host name). */
  EHLO_HOSTNAME: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name'))),
  /** How long transient failures are retried before a message fails, ms (default 5 days). */
  MESSAGE_LIFETIME_MS: intVar(5 * 86_400_000, 1_000, 30 * 86_400_000, 'milliseconds from 1000 to 30 days'),
  /** Connection, greeting and socket timeouts of SMTP, ms (default 60000). */
  SMTP_TIMEOUT_MS: intVar(60_000, 100, 600_000, 'milliseconds from 100 to 600000'),
  /** JSON overrides of the reply classification table, e.g. {"5.7.1":"deferred"}. */
  SMTP_CLASSIFICATION_OVERRIDES: v.optional(v.string()),
  /** JSON per-destination limits, e.g. {"example.com":{"maxConnections":2,"messagesPerSecond":5}}. */
  DESTINATION_LIMITS: v.optional(v.string()),
  /** Concurrent email jobs per worker process (default 20). */
  EMAIL_CONCURRENCY: intVar(20, 1, 1000, 'an integer from 1 to 1000'),
  /** Concurrent jobs per worker process for the other queues (default 10 each). */
  WEBHOOK_CONCURRENCY: intVar(10, 1, 1000, 'an integer from 1 to 1000'),
  BOUNCE_CONCURRENCY: intVar(10, 1, 1000, 'an integer from 1 to 1000'),
  ANALYTICS_CONCURRENCY: intVar(10, 1, 1000, 'an integer from 1 to 1000'),
  TRACKING_CONCURRENCY: intVar(10, 1, 1000, 'an integer from 1 to 1000'),
  /** Port of the worker's /healthz and /readyz (off when unset). */
  WORKER_HEALTH_PORT: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a port number'), v.transform(Number)),
  ),
  /** /readyz reports "wedged" when email waits but nothing finished for this long, ms (default 120000). */
  WORKER_STALL_AFTER_MS: intVar(120_000, 1_000, 3_600_000, 'milliseconds from 1000 to 3600000'),
  /** Pooled SMTP connections per worker process (default 5). */
  SMTP_POOL_SIZE: intVar(5, 1, 100, 'an integer from 1 to 100'),
  /** First retry delay in ms, doubled per attempt with ±50% jitter (default 10000). */
  RETRY_BASE_DELAY_MS: intVar(10_000, 10, 3_600_000, 'milliseconds from 10 to 3600000'),
  /** Longest delay between two attempts in ms (default 1 h). */
  RETRY_MAX_DELAY_MS: intVar(3_600_000, 10, 86_400_000, 'milliseconds from 10 to 86400000'),
  /**
   * How long a worker's lock on a job lasts without renewal, ms (default 30000).
   * A worker renews it every half period; when a worker dies, its jobs return
   * to the queue after at most this (plus one stalled check) and run again,
   * skipping recipients the ledger already records.
   */
  JOB_LOCK_MS: intVar(30_000, 500, 600_000, 'milliseconds from 500 to 600000'),
  /** Timeout of one webhook delivery, ms (default 10000). */
  WEBHOOK_TIMEOUT_MS: intVar(10_000, 100, 60_000, 'milliseconds from 100 to 60000'),
  /** An endpoint failing without a success for this long is disabled, ms (default 5 days). */
  WEBHOOK_DISABLE_AFTER_MS: intVar(
    5 * 86_400_000,
    60_000,
    30 * 86_400_000,
    'milliseconds from 60000 to 30 days',
  ),
  /** Allow webhooks to loopback (127.0.0.0/8, ::1) addresses: only for local development and tests. */
  WEBHOOK_ALLOW_LOOPBACK: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  /** Allow webhooks to private (RFC 1918, ULA) addresses: only for deployments whose receivers live there. */
  WEBHOOK_ALLOW_PRIVATE: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  /** Multiplies the webhook retry schedule (default 1: 5 s … 10 h over 27 h); tests shrink it. */
  WEBHOOK_RETRY_SCALE: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+(\.\d+)?$/, 'must be a number'),
      v.transform(Number),
      v.minValue(0.0001),
      v.maxValue(100),
    ),
    '1',
  ),
  /**
   * Domain of the VERP return path (`b+<message id>@<domain>`): bounces come back
   * to an address that names the message. Its MX should be the bounce listener.
   */
  RETURN_PATH_DOMAIN: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,200}$/, 'must be a domain name')),
  ),
  /** Public base URL of the ingest for open/click tracking links, e.g. https://mail.example.com. */
  TRACKING_BASE_URL: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  /** Tracking signing keys, `id:secret[,id:secret…]`, current first (needed for tracking). */
  TRACKING_KEYS: v.optional(v.string()),
  /** Deadline for SIGTERM draining in ms (default 30000). */
  SHUTDOWN_TIMEOUT_MS: intVar(30_000, 100, 600_000, 'milliseconds from 100 to 600000'),
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});
export type WorkerEnv = v.InferOutput<typeof WorkerEnv>;

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerEnv {
  const config = parseConfig(WorkerEnv, env);
  if (config.DELIVERY_MODE !== 'mx' && !config.SMTP_URL) {
    throw new ConfigError(
      `Invalid configuration: SMTP_URL is required when DELIVERY_MODE=${config.DELIVERY_MODE}`,
    );
  }
  // The JSON settings are checked here too, so a typo stops the process at start.
  for (const [name, parse] of [
    ['SMTP_CLASSIFICATION_OVERRIDES', parseClassificationOverrides],
    ['DESTINATION_LIMITS', parseDestinationOverrides],
    ['TRACKING_KEYS', parseTrackingKeys],
  ] as const) {
    const value = config[name];
    if (value === undefined) continue;
    try {
      parse(value);
    } catch (error) {
      throw new ConfigError(`Invalid configuration: ${name}: ${(error as Error).message}`);
    }
  }
  return config;
}
