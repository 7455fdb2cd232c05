import type { Backend, Principal, Readiness } from '@mailq/contracts';
import { systemResolver, type DnsResolver } from '@mailq/mail';
import { createQueue, type RedisClient } from '@mailq/queues';
import { Stores } from '@mailq/store';
import { TemplateStore } from '@mailq/templates';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DomainService } from './domain-service';
import { EmailService } from './emails/email-service';
import { checkRedis } from './redis-health';
import { durably } from './storage-errors';
import { SuppressionService } from './suppression-service';
import { TemplateService } from './template-service';

export interface RedisBackendOptions {
  /** A producer connection (fail fast): see `createRedis(target, 'producer')`. */
  redis: RedisClient;
  namespace?: string;
  now?: () => Date;
  newId?: () => string;
  /** DNS port for domain verification (default: the system resolver). */
  resolver?: DnsResolver;
  /** Refuse senders on unverified domains with 422 (default true; `mailq dev` relaxes it). */
  requireVerifiedDomain?: boolean;
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
  private readonly emailQueue: Queue;

  constructor(private readonly options: RedisBackendOptions) {
    const now = options.now ?? (() => new Date());
    this.stores = new Stores(options.redis, options.namespace);
    this.emailQueue = createQueue('email', options.redis, options.namespace);
    this.templates = new TemplateService(new TemplateStore(options.redis, this.stores.keys.namespace, now));
    this.suppressions = new SuppressionService(this.stores.suppressions, now);
    this.domains = new DomainService({
      store: this.stores.domains,
      resolver: options.resolver ?? systemResolver(),
      now,
      returnPathHost: options.returnPathHost ?? 'bounces.mailq.invalid',
      spfInclude: options.spfInclude ?? '_spf.mailq.invalid',
    });
    this.emails = new EmailService({
      stores: this.stores,
      emailQueue: this.emailQueue,
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
    await this.emailQueue.close();
  }
}
