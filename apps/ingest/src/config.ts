import { intVar, parseConfig } from '@mailq/contracts';
import { RedisEnv } from '@mailq/queues';
import { parseTrackingKeys } from '@mailq/signing';
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
  RETURN_PATH_HOST: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name'))),
  /** SPF include published for sending domains (default _spf.<PUBLIC_URL host>). */
  SPF_INCLUDE: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9._-]{1,253}$/, 'must be a host name'))),
  /** Port of the SMTP listener for bounces sent to the VERP return path (off when unset). */
  BOUNCE_SMTP_PORT: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,5}$/, 'must be a port number'), v.transform(Number)),
  ),
  /** Tracking signing keys, `id:secret[,id:secret…]`, current first; enables /t/o and /t/c. */
  TRACKING_KEYS: v.optional(v.string()),
  /** Let webhook endpoints point at loopback / private addresses (local development only). */
  WEBHOOK_ALLOW_LOOPBACK: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  WEBHOOK_ALLOW_PRIVATE: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
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

/** What `startNodeIngest` takes from the environment (`mailq serve` and `mailq dev` alike). */
export function ingestSettings(config: IngestEnv) {
  return {
    port: config.PORT,
    host: config.HOST,
    namespace: config.MAILQ_NAMESPACE,
    relay: relaySettings(config),
    ...(config.TRACKING_KEYS ? { trackingKeys: parseTrackingKeys(config.TRACKING_KEYS) } : {}),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
}
