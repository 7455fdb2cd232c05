import { ConfigError, intVar, parseConfig } from '@mailq/contracts';
import { RedisEnv } from '@mailq/queues';
import * as v from 'valibot';

/** The worker's environment, parsed once at start (DESIGN §2). */
export const WorkerEnv = v.object({
  ...RedisEnv.entries,
  /** Smarthost, `smtp://user:pass@host:port` or `smtps://` for implicit TLS. */
  SMTP_URL: v.optional(
    v.pipe(v.string(), v.regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://[user:pass@]host:port')),
  ),
  /** `smtp` (smarthost) or `capture` (dev: the embedded capture server). `mx` arrives with the delivery engine. */
  DELIVERY_MODE: v.optional(
    v.picklist(['smtp', 'capture'], 'must be smtp or capture (mx is not available yet)'),
    'smtp',
  ),
  /** Concurrent email jobs per worker process (default 20). */
  EMAIL_CONCURRENCY: intVar(20, 1, 1000, 'an integer from 1 to 1000'),
  /** Pooled SMTP connections per worker process (default 5). */
  SMTP_POOL_SIZE: intVar(5, 1, 100, 'an integer from 1 to 100'),
  /** First retry delay in ms, doubled per attempt with ±50% jitter (default 10000). */
  RETRY_BASE_DELAY_MS: intVar(10_000, 10, 3_600_000, 'milliseconds from 10 to 3600000'),
  /** Longest delay between two attempts in ms (default 1 h). */
  RETRY_MAX_DELAY_MS: intVar(3_600_000, 10, 86_400_000, 'milliseconds from 10 to 86400000'),
  /** Deadline for SIGTERM draining in ms (default 30000). */
  SHUTDOWN_TIMEOUT_MS: intVar(30_000, 100, 600_000, 'milliseconds from 100 to 600000'),
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});
export type WorkerEnv = v.InferOutput<typeof WorkerEnv>;

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerEnv {
  const config = parseConfig(WorkerEnv, env);
  if (config.DELIVERY_MODE === 'smtp' && !config.SMTP_URL) {
    throw new ConfigError('Invalid configuration: SMTP_URL is required when DELIVERY_MODE=smtp');
  }
  return config;
}
