import {
  ApiError,
  TERMINAL_STATUSES,
  type BatchItem,
  type BatchItemResult,
  type EmailStatusResponse,
  type EmailSummary,
  type EmailsPort,
  type ListEmailsQuery,
  type Page,
  type Principal,
  type SendEmailRequest,
  type SendOptions,
} from '@mailq/contracts';
import type { EventPublisher, Stores } from '@mailq/store';
import type { EmailQueues } from '@mailq/queues';
import { durably } from '../storage-errors';
import { acceptMessage, type AcceptedMessage } from './accepted-message';
import { enqueueAccepted } from './enqueue-accepted';
import { EnqueueCoalescer } from './enqueue-coalescer';
import { withIdempotency } from './idempotency';
import { prepareEmail, type SendPolicy } from './prepare-email';

export interface EmailServiceDeps {
  stores: Stores;
  publisher: EventPublisher;
  emailQueues: EmailQueues;
  /** DURABILITY=replicated: confirms keys were replicated before a send is answered. */
  confirm?: (keys: string[]) => Promise<void>;
  policy: SendPolicy;
  now: () => Date;
  newId: () => string;
}

// Job states from which a message can still be withdrawn without racing a worker.
const CANCELLABLE_JOB_STATES = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** The emails part of the relay: accept durably, read, search, cancel. */
export class EmailService implements EmailsPort {
  private readonly coalescer: EnqueueCoalescer;

  constructor(private readonly deps: EmailServiceDeps) {
    this.coalescer = new EnqueueCoalescer((messages) =>
      enqueueAccepted(deps.stores, deps.emailQueues, messages, { confirm: deps.confirm }),
    );
  }

  async send(principal: Principal, email: SendEmailRequest, options: SendOptions): Promise<{ id: string }> {
    const request = this.idempotent(principal, options, email, 1);
    const id = await withIdempotency(request, async ({ ids: [id = ''], at }, resumed) => {
      const now = new Date(at);
      const rendered = await durably(() => prepareEmail(this.deps.policy, principal.tenantId, email, now));
      const message = acceptMessage(principal.tenantId, id, rendered, now, this.deps.now());
      await this.store([message], options, resumed);
      return id;
    });
    return { id };
  }

  async sendBatch(
    principal: Principal,
    items: BatchItem[],
    options: SendOptions,
  ): Promise<BatchItemResult[]> {
    const request = this.idempotent(principal, options, items, items.length);
    const results = await withIdempotency(request, async ({ ids, at }, resumed) => {
      const now = new Date(at);
      // Items are prepared side by side (a verified-domain lookup each); results keep the request's order.
      const prepared = await Promise.all(
        items.map(async (item, i): Promise<BatchItemResult | AcceptedMessage> => {
          if ('error' in item) return item;
          try {
            const rendered = await durably(() =>
              prepareEmail(this.deps.policy, principal.tenantId, item.email, now),
            );
            const id = ids[i] ?? this.deps.newId();
            return acceptMessage(principal.tenantId, id, rendered, now, this.deps.now());
          } catch (error) {
            // A refused item (unverified sender, bad template) is reported; storage failures fail the batch.
            if (!(error instanceof ApiError) || error.code === 'storage_unavailable') throw error;
            return { index: item.index, error: { code: error.code, message: error.message } };
          }
        }),
      );
      const accepted = prepared.filter((p): p is AcceptedMessage => 'record' in p);
      const results = prepared.map((p, i) =>
        'record' in p ? { index: (items[i] as BatchItem).index, id: p.record.id } : p,
      );
      if (accepted.length > 0) await this.store(accepted, options, resumed);
      return JSON.stringify(results);
    });
    return JSON.parse(results) as BatchItemResult[];
  }

  // The ids and time a request gives its messages, fixed before anything is stored (see withIdempotency).
  private idempotent(principal: Principal, options: SendOptions, body: unknown, messages: number) {
    const attempt = {
      ids: Array.from({ length: messages }, () => this.deps.newId()),
      at: this.deps.now().toISOString(),
    };
    return { idempotency: this.deps.stores.idempotency, principal, options, body, attempt };
  }

  get(principal: Principal, id: string): Promise<EmailStatusResponse | null> {
    return durably(() => this.deps.stores.messages.get(principal.tenantId, id));
  }

  list(principal: Principal, query: ListEmailsQuery): Promise<Page<EmailSummary>> {
    return durably(() => this.deps.stores.search.list(principal.tenantId, query));
  }

  async cancel(principal: Principal, id: string): Promise<EmailStatusResponse | null> {
    return durably(async () => {
      const email = await this.deps.stores.messages.get(principal.tenantId, id);
      if (!email) return null;
      if (email.status === 'cancelled') return email;
      const started = email.recipients.some((r) => r.status === 'sending' || TERMINAL_STATUSES.has(r.status));
      const job = await this.deps.emailQueues.jobOf(id);
      const state = job ? await job.getState() : 'missing';
      if (started || !job || !CANCELLABLE_JOB_STATES.has(state)) {
        throw new ApiError(
          'conflict',
          'Sending has already started; the message can no longer be cancelled.',
        );
      }
      try {
        // Atomic in Redis: fails if a worker took the job in the meantime.
        await job.remove();
      } catch {
        throw new ApiError('conflict', 'Sending has just started; the message can no longer be cancelled.');
      }
      const at = this.deps.now().toISOString();
      const open = email.recipients.filter((r) => !TERMINAL_STATUSES.has(r.status));
      await this.deps.stores.messages.update(
        id,
        open.map((r) => ({ address: r.address, status: 'cancelled' })),
        [{ type: 'cancelled', at, detail: 'cancelled through the API' }],
        at,
      );
      return this.deps.stores.messages.get(principal.tenantId, id);
    });
  }

  private async store(messages: AcceptedMessage[], options: SendOptions, resumed: boolean): Promise<void> {
    // Requests carrying their trace context explicitly (edge ingest) keep it, and a resumed
    // request (rare) writes on its own; other in-process requests are coalesced, the batch's
    // enqueue span joining the trace that flushed it.
    if (options.trace || resumed) {
      await enqueueAccepted(this.deps.stores, this.deps.emailQueues, messages, {
        carrier: options.trace,
        confirm: this.deps.confirm,
        resumed,
      });
    } else {
      await this.coalescer.submit(messages);
    }
    // Not waited for: the 2xx stands for the writes above, and announcing is best effort.
    void this.announceQueued(messages);
  }

  /** email.queued, only if the tenant has an endpoint subscribed to it (otherwise nobody would read it). */
  private async announceQueued(messages: AcceptedMessage[]): Promise<void> {
    const publisher = this.deps.publisher;
    const tenantId = messages[0]?.record.tenantId;
    if (!tenantId || !(await publisher.subscribes(tenantId, 'email.queued').catch(() => false))) return;
    // A batch's announcements are stored together: one script call, one addBulk.
    await publisher
      .publishAll(
        tenantId,
        messages.map(({ record }) => ({
          type: 'email.queued' as const,
          data: { email_id: record.id, from: record.from, to: record.recipients, subject: record.subject },
        })),
      )
      .catch(() => undefined);
  }
}
