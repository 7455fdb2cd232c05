import { RELAY_SECRET_MIN_LENGTH, intVar, parseConfig } from '@mailq/contracts';
import { RedisEnv } from '@mailq/queues';
import * as v from 'valibot';

const bool = () => v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false');
const hostName = (pattern: RegExp) => v.optional(v.pipe(v.string(), v.regex(pattern, 'must be a host name')));

/** What the relay needs wherever it runs: in-process with `mailq serve`, or as `mailq relay`. */
export const RelayEnv = v.object({
  ...RedisEnv.entries,
  /** Public base URL of the API, e.g. https://mail.example.com (names the platform in DNS records). */
  PUBLIC_URL: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  /** What Redis must confirm before a 2xx: async (memory), aof (fsync always), replicated (WAIT 1 on each owning master). */
  DURABILITY: v.optional(
    v.picklist(['async', 'aof', 'replicated'], 'must be async, aof or replicated'),
    'async',
  ),
  /** How long DURABILITY=replicated waits for a replica before answering 503, ms (default 1000). */
  DURABILITY_TIMEOUT_MS: intVar(1_000, 10, 60_000, 'milliseconds from 10 to 60000'),
  /** Refuse senders on unverified domains with 422 (default true; `mailq dev` sets false). */
  REQUIRE_VERIFIED_DOMAIN: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'true'),
  /** Host the return-path CNAME of sending domains points at (default bounces.<PUBLIC_URL host>). */
  RETURN_PATH_HOST: hostName(/^[A-Za-z0-9.-]{1,253}$/),
  /** SPF include published for sending domains (default _spf.<PUBLIC_URL host>). */
  SPF_INCLUDE: hostName(/^[A-Za-z0-9._-]{1,253}$/),
  /** Port of the SMTP listener for bounces sent to the VERP return path (off when unset). */
  BOUNCE_SMTP_PORT: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a port number'), v.transform(Number)),
  ),
  /** Let webhook endpoints point at loopback / private addresses (local development only). */
  WEBHOOK_ALLOW_LOOPBACK: bool(),
  WEBHOOK_ALLOW_PRIVATE: bool(),
  /** Amazon SNS topics whose SES notifications are accepted (comma-separated ARNs). */
  SES_TOPIC_ARNS: v.optional(v.string()),
  /** SendGrid's event webhook verification key (base64 SPKI, from its settings page). */
  SENDGRID_VERIFICATION_KEY: v.optional(v.string()),
  /** Mailgun's HTTP webhook signing key. */
  MAILGUN_SIGNING_KEY: v.optional(v.string()),
  /** Basic-auth credentials configured on Postmark's webhooks, `user:password`. */
  POSTMARK_WEBHOOK_AUTH: v.optional(v.pipe(v.string(), v.regex(/^[^:]+:.+$/, 'must be user:password'))),
  /** Optional allowlist of Postmark's sending addresses (comma-separated IPs or CIDRs). */
  POSTMARK_ALLOWED_IPS: v.optional(v.string()),
  /** User name for the admin API and Bull Board at /admin (default admin). */
  ADMIN_USER: v.optional(
    v.pipe(v.string(), v.regex(/^[^:\s]{1,64}$/, 'must be a user name without ":"')),
    'admin',
  ),
  /** Password for /admin; the admin API and Bull Board are off while it is unset. */
  ADMIN_PASSWORD: v.optional(v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'))),
  OTEL_EXPORTER_OTLP_ENDPOINT: v.optional(v.pipe(v.string(), v.url('must be a URL'))),
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
});
export type RelayEnv = v.InferOutput<typeof RelayEnv>;

/** `mailq relay`: the relay as its own HTTP service, for an ingest running at the edge. */
export const RelayServiceEnv = v.object({
  ...RelayEnv.entries,
  /** Port of the relay's internal API (default 3001). */
  RELAY_PORT: intVar(3001, 1, 65535, 'a port number (1-65535)'),
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 in containers). */
  RELAY_HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  /** Shared with the edge ingest; signs every call. Generate with `openssl rand -hex 32`. */
  RELAY_SECRET: v.pipe(
    v.string('is required (shared with the edge ingest)'),
    v.minLength(RELAY_SECRET_MIN_LENGTH, `must be at least ${RELAY_SECRET_MIN_LENGTH} characters`),
  ),
});
export type RelayServiceEnv = v.InferOutput<typeof RelayServiceEnv>;

export function loadRelayServiceConfig(env: Record<string, string | undefined>): RelayServiceEnv {
  return parseConfig(RelayServiceEnv, env);
}

/** The admin credentials, when ADMIN_PASSWORD turns the admin API on. */
export function adminCredentials(config: RelayEnv): { user: string; password: string } | undefined {
  return config.ADMIN_PASSWORD ? { user: config.ADMIN_USER, password: config.ADMIN_PASSWORD } : undefined;
}

/** The `RedisBackend` settings from the environment. */
export function relaySettings(config: RelayEnv) {
  const platformHost = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).hostname : 'mailq.invalid';
  const list = (value?: string) =>
    value
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  const [postmarkUser, ...postmarkPassword] = (config.POSTMARK_WEBHOOK_AUTH ?? '').split(':');
  return {
    webhookUrlPolicy: {
      allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK === 'true',
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'true',
    },
    providers: {
      ses: { allowedTopicArns: list(config.SES_TOPIC_ARNS) },
      ...(config.SENDGRID_VERIFICATION_KEY
        ? { sendgrid: { publicKey: config.SENDGRID_VERIFICATION_KEY } }
        : {}),
      ...(config.MAILGUN_SIGNING_KEY ? { mailgun: { signingKey: config.MAILGUN_SIGNING_KEY } } : {}),
      ...(config.POSTMARK_WEBHOOK_AUTH
        ? {
            postmark: {
              user: postmarkUser ?? '',
              password: postmarkPassword.join(':'),
              allowedIps: list(config.POSTMARK_ALLOWED_IPS),
            },
          }
        : {}),
    },
    partitions: config.QUEUE_PARTITIONS,
    durability: config.DURABILITY,
    durabilityTimeoutMs: config.DURABILITY_TIMEOUT_MS,
    requireVerifiedDomain: config.REQUIRE_VERIFIED_DOMAIN === 'true',
    returnPathHost: config.RETURN_PATH_HOST ?? `bounces.${platformHost}`,
    spfInclude: config.SPF_INCLUDE ?? `_spf.${platformHost}`,
  };
}
