import { domainOf } from '@mailq/contracts';
import type { EmailJob } from '@mailq/queues';
import { PROVIDER_POLICIES, type DestinationOverrides } from '@mailq/store';
import { LABELS, mailqMetrics } from '@mailq/telemetry';
import type { RecipientOutcome } from '../delivery/deliver-group';

/** What happened to one recipient, as the message record says. */
export type RecipientStatus = 'delivered' | 'deferred' | 'bounced' | 'failed' | 'suppressed';

/** Label of any destination that is neither a known mailbox provider nor named in DESTINATION_LIMITS. */
export const OTHER_DESTINATION = 'other';

/**
 * The worker's delivery counters and latency histogram. The `destination`
 * label is bounded: a recipient domain is its own label only when it is one
 * of the big mailbox providers (PROVIDER_POLICIES) or named in
 * DESTINATION_LIMITS — the destinations an operator shapes traffic for —
 * and `other` otherwise, however many domains mail goes to.
 */
export class DeliveryMetrics {
  constructor(private readonly overrides: DestinationOverrides = {}) {}

  destination(address: string): string {
    const domain = domainOf(address).toLowerCase().replace(/\.$/, '');
    // Own keys only: `constructor` or `__proto__` as a domain must not find Object.prototype.
    return Object.hasOwn(PROVIDER_POLICIES, domain) || Object.hasOwn(this.overrides, domain)
      ? domain
      : OTHER_DESTINATION;
  }

  /** Counts recipients that reached `status`. */
  count(tenantId: string, status: RecipientStatus, recipients: readonly string[]): void {
    const counter = mailqMetrics()[COUNTER_OF[status]];
    for (const address of recipients) {
      counter.add(1, { [LABELS.tenant]: tenantId, [LABELS.destination]: this.destination(address) });
    }
  }

  /**
   * One SMTP transaction's results: the outcome counters, the reply classes
   * and, for every 250, the time since the message became due.
   */
  transaction(
    job: EmailJob,
    outcomes: RecipientOutcome[],
    statusOf: (o: RecipientOutcome) => RecipientStatus,
    at: Date,
  ): void {
    const instruments = mailqMetrics();
    // A scheduled message is due at its scheduled time, not when it was accepted.
    const due = Math.max(
      Date.parse(job.acceptedAt),
      job.email.scheduled_at ? Date.parse(job.email.scheduled_at) : 0,
    );
    for (const o of outcomes) {
      const status = statusOf(o);
      const destination = this.destination(o.address);
      instruments[COUNTER_OF[status]].add(1, {
        [LABELS.tenant]: job.tenantId,
        [LABELS.destination]: destination,
      });
      instruments.smtpReplies.add(1, {
        [LABELS.replyClass]: replyClass(o.replyCode),
        [LABELS.outcome]: o.disposition,
      });
      if (status === 'delivered' && Number.isFinite(due)) {
        instruments.deliveryLatency.record(Math.max(0, at.getTime() - due) / 1000, {
          [LABELS.destination]: destination,
        });
      }
    }
  }
}

const COUNTER_OF = {
  delivered: 'emailsDelivered',
  deferred: 'emailsDeferred',
  bounced: 'emailsBounced',
  failed: 'emailsFailed',
  suppressed: 'emailsSuppressed',
} as const satisfies Record<RecipientStatus, keyof ReturnType<typeof mailqMetrics>>;

/** `2xx`, `4xx`, `5xx` from the server's reply code; `none` when no reply came (connection, DNS). */
export function replyClass(code: number | undefined): string {
  return code !== undefined && code >= 200 && code < 600 ? `${Math.floor(code / 100)}xx` : 'none';
}
