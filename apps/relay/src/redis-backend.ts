import { randomUUID, createHash } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import {
  ApiError,
  type Backend,
  type BatchItem,
  type BatchItemResult,
  type EmailStatusResponse,
  type Principal,
  type Readiness,
  type SendEmailRequest,
  type SendOptions,
} from '@mailq/contracts';
import { createQueue, enqueueBulk, type RedisClient } from '@mailq/queues';
import { Stores } from '@mailq/store';
import { SPANS, ATTRS, tracer } from '@mailq/telemetry';
import type { Queue } from 'bullmq';
import { acceptMessage, type AcceptedMessage } from './accepted-message';
import { checkRedis } from './redis-health';
import { durably } from './storage-errors';

export interface RedisBackendOptions {
  /** A producer connection (fail fast): see `createRedis(target, 'producer')`. */
  redis: RedisClient;
  namespace?: string;
  now?: () => Date;
  newId?: () => string;
}

/**
 * The `Backend` port on Redis: the relay. A send resolves only after Redis has
 * acknowledged both the message record and the email job; any storage failure
 * becomes `storage_unavailable` (503) and the idempotency key is given back.
 */
export class RedisBackend implements Backend {
  readonly stores: Stores;
  private readonly emailQueue: Queue;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: RedisBackendOptions) {
    this.stores = new Stores(options.redis, options.namespace);
    this.emailQueue = createQueue('email', options.redis, options.namespace);
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
  }

  authenticate(apiKey: string): Promise<Principal | null> {
    return durably(() => this.stores.apiKeys.resolve(apiKey));
  }

  async sendEmail(
    principal: Principal,
    email: SendEmailRequest,
    options: SendOptions,
  ): Promise<{ id: string }> {
    const id = this.newId();
    const stored = await this.withIdempotency(principal, options, fingerprint(email), id, async () => {
      await this.store([acceptMessage(principal.tenantId, id, email, this.now())], options);
    });
    return { id: stored };
  }

  async sendBatch(
    principal: Principal,
    items: BatchItem[],
    options: SendOptions,
  ): Promise<BatchItemResult[]> {
    const now = this.now();
    const results: BatchItemResult[] = [];
    const accepted: AcceptedMessage[] = [];
    for (const item of items) {
      if ('error' in item) {
        results.push(item);
        continue;
      }
      const message = acceptMessage(principal.tenantId, this.newId(), item.email, now);
      accepted.push(message);
      results.push({ index: item.index, id: message.record.id });
    }
    const body = JSON.stringify(results);
    const stored = await this.withIdempotency(principal, options, fingerprint(items), body, async () => {
      if (accepted.length > 0) await this.store(accepted, options);
    });
    return JSON.parse(stored) as BatchItemResult[];
  }

  getEmail(principal: Principal, id: string): Promise<EmailStatusResponse | null> {
    return durably(() => this.stores.messages.get(principal.tenantId, id));
  }

  readiness(): Promise<Readiness> {
    return checkRedis(this.options.redis);
  }

  async close(): Promise<void> {
    await this.emailQueue.close();
  }

  /** Writes records, then jobs; on failure removes the records so nothing half-accepted remains. */
  private async store(messages: AcceptedMessage[], options: SendOptions): Promise<void> {
    const parent = options.trace ? propagation.extract(context.active(), options.trace) : context.active();
    const span = tracer().startSpan(
      SPANS.relayEnqueue,
      { attributes: { [ATTRS.recipients]: messages.length } },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        await durably(() => Promise.all(messages.map((m) => this.stores.messages.create(m.record))));
        try {
          await durably(() =>
            enqueueBulk(
              this.emailQueue,
              'email',
              messages.map((m) => ({ jobId: m.job.id, payload: m.job })),
            ),
          );
        } catch (error) {
          await Promise.allSettled(messages.map((m) => this.stores.messages.remove(m.record.id)));
          throw error;
        }
      });
    } finally {
      span.end();
    }
  }

  private async withIdempotency(
    principal: Principal,
    options: SendOptions,
    print: string,
    value: string,
    store: () => Promise<void>,
  ): Promise<string> {
    const key = options.idempotencyKey;
    if (key === undefined) {
      await store();
      return value;
    }
    const claim = await durably(() => this.stores.idempotency.claim(principal.tenantId, key, print, value));
    if (claim.status === 'replay') return claim.value;
    if (claim.status === 'conflict') {
      throw new ApiError(
        'idempotency_conflict',
        'This Idempotency-Key was already used with a different request body.',
      );
    }
    if (claim.status === 'in_progress') {
      throw new ApiError(
        'idempotency_conflict',
        'A request with this Idempotency-Key is still in progress; retry in a moment.',
      );
    }
    try {
      await store();
      await durably(() => this.stores.idempotency.complete(principal.tenantId, key, print, value));
      return value;
    } catch (error) {
      await this.stores.idempotency.release(principal.tenantId, key).catch(() => undefined);
      throw error;
    }
  }
}

function fingerprint(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}
