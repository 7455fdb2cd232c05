import type { Backend, Principal, Readiness } from '@mailq/contracts';
import { systemResolver, type DnsResolver } from '@mailq/mail';
import { EmailQueues, createQueue, type PartitionLayout, type RedisClient } from '@mailq/queues';
import { EventPublisher, Stores } from '@mailq/store';
import { TemplateStore } from '@mailq/templates';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DomainService } from './domain-service';
import { EmailService } from './emails/email-service';
import { confirmReplicated, type Durability } from './durability';
import { checkRedis } from './redis-health';
import { durably } from './storage-errors';
import { SuppressionService } from './suppression-service';
import { TemplateService } from './template-service';
import { AnalyticsService } from './events/analytics-service';
import { FeedbackService, type FeedbackServiceDeps, type ProviderSettings } from './events/feedback-service';
import { TrackingService } from './events/tracking-service';
import { WebhookService } from './events/webhook-service';

export interface RedisBackendOptions {
  /** A producer connection (fail fast): see `createRedis(target, 'producer')`. */
  redis: RedisClient;
  namespace?: string;
  /** DURABILITY: what Redis must confirm before a send is answered (default async). */
  durability?: Durability;
  /** How long `replicated` waits for a replica, ms (default 1000). */
  durabilityTimeoutMs?: number;
  /** The email queue's partitions, as stored in Redis: see `resolvePartitionLayout` (openRelay calls it). */
  layout: PartitionLayout;
  now?: () => Date;
  newId?: () => string;
  /** DNS port for domain verification (default: the system resolver). */
  resolver?: DnsResolver;
  /** Refuse senders on unverified domains with 422 (default true; `mailq dev` relaxes it). */
  requireVerifiedDomain?: boolean;
  /** Which webhook URLs may be registered (loopback/private only for development). */
  webhookUrlPolicy?: { allowLoopback: boolean; allowPrivate: boolean };
  /** Trust roots for provider webhooks. */
  providers?: ProviderSettings;
  /** SNS certificate fetching and subscription confirmation (tests serve their own). */
  snsPorts?: Pick<FeedbackServiceDeps, 'fetchCertificate' | 'confirmSubscription'>;
  /** Platform host names published in the DNS records of sending domains. */
  returnPathHost?: string;
  spfInclude?: string;
}

/**
 * The `Backend` port on Redis: the relay. Sends resolve only after Redis has
 * acknowledged both the message record and the email job; any storage failure
 * becomes `storage_unavailable` (503).
 */
export class RedisBackend implements Backend {
  readonly stores: Stores;
  readonly emails: EmailService;
  readonly suppressions: SuppressionService;
  readonly domains: DomainService;
  readonly templates: TemplateService;
  readonly webhooks: WebhookService;
  readonly analytics: AnalyticsService;
  readonly tracking: TrackingService;
  readonly feedback: FeedbackService;
  private readonly queues: Queue[];
  private readonly publisher: EventPublisher;
  private readonly emailQueues: EmailQueues;

  constructor(private readonly options: RedisBackendOptions) {
    const now = options.now ?? (() => new Date());
    this.stores = new Stores(options.redis, options.namespace);
    this.emailQueues = new EmailQueues(options.redis, options.namespace, options.layout);
    const webhookQueue = createQueue('webhook', options.redis, options.namespace);
    const trackingQueue = createQueue('tracking', options.redis, options.namespace);
    const bounceQueue = createQueue('bounce', options.redis, options.namespace);
    this.queues = [...this.emailQueues.queues, trackingQueue, bounceQueue];
    this.webhooks = new WebhookService({
      stores: this.stores,
      webhookQueue,
      now,
      urlPolicy: options.webhookUrlPolicy ?? { allowLoopback: false, allowPrivate: false },
    });
    this.analytics = new AnalyticsService(this.stores.analytics);
    this.tracking = new TrackingService(trackingQueue, now);
    this.feedback = new FeedbackService({
      stores: this.stores,
      bounceQueue,
      now,
      settings: options.providers ?? { ses: { allowedTopicArns: [] } },
      ...options.snsPorts,
    });
    this.templates = new TemplateService(new TemplateStore(options.redis, this.stores.keys.namespace, now));
    this.suppressions = new SuppressionService(this.stores.suppressions, now);
    this.domains = new DomainService({
      store: this.stores.domains,
      resolver: options.resolver ?? systemResolver(),
      now,
      returnPathHost: options.returnPathHost ?? 'bounces.mailq.invalid',
      spfInclude: options.spfInclude ?? '_spf.mailq.invalid',
    });
    this.publisher = new EventPublisher({
      events: this.stores.events,
      endpoints: this.stores.endpoints,
      webhookQueue,
      analyticsQueue: createQueue('analytics', options.redis, options.namespace),
      now,
    });
    this.emails = new EmailService({
      stores: this.stores,
      publisher: this.publisher,
      emailQueues: this.emailQueues,
      ...(options.durability === 'replicated'
        ? {
            confirm: (keys: string[]) =>
              confirmReplicated(options.redis, keys, options.durabilityTimeoutMs ?? 1_000),
          }
        : {}),
      now,
      newId: options.newId ?? randomUUID,
      policy: {
        domains: this.stores.domains,
        templates: this.templates,
        requireVerifiedDomain: options.requireVerifiedDomain ?? true,
      },
    });
  }

  authenticate(apiKey: string): Promise<Principal | null> {
    return durably(() => this.stores.apiKeys.resolve(apiKey));
  }

  readiness(): Promise<Readiness> {
    return checkRedis(this.options.redis);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.map((q) => q.close()), this.publisher.close()]);
  }
}
