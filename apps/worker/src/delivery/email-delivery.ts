import {
  classificationRules,
  parseClassificationOverrides,
  systemResolver,
  type DnsResolver,
} from '@mailq/mail';
import type { RedisClient } from '@mailq/queues';
import {
  cachedLookup,
  DestinationLimiter,
  type EventPublisher,
  parseDestinationOverrides,
  policyFor,
  type Stores,
} from '@mailq/store';
import { hostname } from 'node:os';
import type { WorkerEnv } from '../config';
import { DeliveryMetrics } from '../metrics/delivery-metrics';
import type { EmailProcessorDeps } from '../processors/email.processor';
import { mxRoute, smarthostRoute } from './delivery-route';
import { dkimLookup } from './dkim-lookup';
import { trackingSettings } from './tracking-rewrite';

/**
 * How long a worker trusts what it last read about a tenant's pause: a pause or
 * resume takes effect within this, for one EXISTS per tenant per period at most.
 */
export const TENANT_PAUSE_CACHE_MS = 2_000;

/** Wires the email processor's ports from configuration: route, limits, classification table, DKIM. */
export function emailDelivery(
  config: WorkerEnv,
  stores: Stores,
  redis: RedisClient,
  publisher: EventPublisher,
  options: { namespace?: string; now: () => Date; resolver?: DnsResolver },
): EmailProcessorDeps {
  const transportOptions = {
    poolSize: config.SMTP_POOL_SIZE,
    timeoutMs: config.SMTP_TIMEOUT_MS,
    ehloName: config.EHLO_HOSTNAME ?? hostname(),
  };
  const route =
    config.DELIVERY_MODE === 'mx'
      ? mxRoute(options.resolver ?? systemResolver(), config.MX_PORT, transportOptions)
      : smarthostRoute(config.SMTP_URL ?? '', transportOptions);
  const overrides = config.DESTINATION_LIMITS ? parseDestinationOverrides(config.DESTINATION_LIMITS) : {};
  return {
    stores,
    publisher,
    route,
    limiter: new DestinationLimiter(redis, {
      ...(options.namespace ? { namespace: options.namespace } : {}),
      policyFor: (domain) => policyFor(domain, overrides),
      now: () => options.now().getTime(),
      // A slot must outlive the slowest send it guards (connect + DATA under the SMTP timeout).
      leaseTtlMs: Math.max(120_000, 2 * config.SMTP_TIMEOUT_MS),
    }),
    rules: classificationRules(
      config.SMTP_CLASSIFICATION_OVERRIDES
        ? parseClassificationOverrides(config.SMTP_CLASSIFICATION_OVERRIDES)
        : [],
    ),
    dkimFor: dkimLookup(stores.domains),
    lifetimeMs: config.MESSAGE_LIFETIME_MS,
    ...(config.RETURN_PATH_DOMAIN ? { returnPathDomain: config.RETURN_PATH_DOMAIN } : {}),
    tracking: trackingSettings(config.TRACKING_BASE_URL, config.TRACKING_KEYS),
    tenantPaused: cachedLookup(TENANT_PAUSE_CACHE_MS, (tenantId: string) =>
      stores.pauses.isTenantPaused(tenantId),
    ),
    tenantTracking: cachedLookup(60_000, async (tenantId: string) => {
      const tenant = await stores.tenants.get(tenantId);
      return tenant?.tracking ?? { opens: false, clicks: false };
    }),
    now: options.now,
    metrics: new DeliveryMetrics(overrides),
  };
}
