import { TERMINAL_STATUSES, allRecipients, bareAddress, type EmailEvent } from '@mailq/contracts';
import { verpAddress } from '@mailq/feedback';
import type { ClassificationRule } from '@mailq/mail';
import { parsePayload, type EmailJob } from '@mailq/queues';
import { PAUSED_RETRY_MS, type DestinationLimiter, type EventPublisher, type Stores } from '@mailq/store';
import { ATTRS, SPANS, tracer } from '@mailq/telemetry';
import { DelayedError, type Job } from 'bullmq';
import { composeMessage } from '../compose-message';
import { deliverGroup } from '../delivery/deliver-group';
import type { DeliveryRoute } from '../delivery/delivery-route';
import type { dkimLookup } from '../delivery/dkim-lookup';
import { deliveryDeadline } from '../delivery/lifetime';
import { groupByDomain } from '../delivery/recipient-groups';
import { recordOutcomes, recordThrottled, statusOf } from '../delivery/record-outcomes';
import { dropSuppressed } from '../delivery/suppression-check';
import { applyTracking, type TrackingSettings } from '../delivery/tracking-rewrite';
import type { DeliveryMetrics } from '../metrics/delivery-metrics';

export interface EmailProcessorDeps {
  stores: Stores;
  publisher: EventPublisher;
  route: DeliveryRoute;
  limiter: DestinationLimiter;
  rules: ClassificationRule[];
  dkimFor: ReturnType<typeof dkimLookup>;
  lifetimeMs: number;
  /** Open/click tracking, when configured (TRACKING_BASE_URL and TRACKING_KEYS). */
  tracking: TrackingSettings | null;
  /** Domain of the VERP return path, when configured. */
  returnPathDomain?: string;
  /** Whether an operator paused the tenant's mail (cached for a few seconds). */
  tenantPaused: (tenantId: string) => Promise<boolean>;
  /** The tenant's tracking defaults (cached). */
  tenantTracking: (tenantId: string) => Promise<{ opens: boolean; clicks: boolean }>;
  /** Clock port: lifetime decisions use it, so tests need not wait days. */
  now: () => Date;
  metrics: DeliveryMetrics;
}

const PAUSED_BY_OPERATOR = 'paused by an operator';

/** Thrown after a transient failure so BullMQ retries the job with backoff. */
export class DeferredError extends Error {
  override name = 'DeferredError';
}

/**
 * Delivers one message, one SMTP transaction per recipient domain. The ledger
 * is read first, so recipients that already have an outcome are never sent
 * again; suppressed recipients are skipped; each destination's limits are
 * taken from Redis (over the limit → deferred and released automatically);
 * every outcome is recorded as soon as it is known.
 */
export function emailProcessor(deps: EmailProcessorDeps) {
  return async function processEmail(job: Job, token?: string): Promise<void> {
    const data = parsePayload('email', job.data);
    const everyone = [...new Set(allRecipients(data.email).map(bareAddress))];
    // The ledger and the suppression list do not depend on each other: read side by side.
    const [{ recipients: ledger, sentAnnounced }, listed] = await Promise.all([
      deps.stores.messages.ledger(data.id),
      deps.stores.suppressions.find(data.tenantId, everyone),
    ]);
    const open = everyone.filter((address) => {
      const status = ledger.get(address)?.status;
      return status === undefined || !TERMINAL_STATUSES.has(status);
    });
    const pending = await dropSuppressed(
      deps.stores,
      deps.publisher,
      data,
      open,
      listed,
      deps.now().toISOString(),
    );
    deps.metrics.count(
      data.tenantId,
      'suppressed',
      open.filter((address) => !pending.includes(address)),
    );
    if (pending.length === 0) return;

    const deadline = deliveryDeadline(data.acceptedAt, data.email.scheduled_at, deps.lifetimeMs);
    const message = composeMessage(
      await withTracking(deps, data),
      pending,
      (await deps.dkimFor(data.tenantId, data.email.from)) ?? undefined,
      deps.returnPathDomain ? verpAddress(data.id, deps.returnPathDomain) : undefined,
    );
    // Recorded only when something is really sent, so a message that waits on a
    // destination's limit does not grow its timeline every time it is released.
    let attemptRecorded = false;
    const recordAttempt = async (recipients: string[]) => {
      const at = deps.now().toISOString();
      const events: EmailEvent[] = attemptRecorded
        ? []
        : [
            {
              type: 'attempt',
              at,
              detail: `attempt ${job.attemptsMade + 1}, ${pending.length} recipient(s)`,
            },
          ];
      attemptRecorded = true;
      await deps.stores.messages.update(
        data.id,
        recipients.map((address) => ({ address, status: 'sending' })),
        events,
        at,
      );
    };
    // email.sent once per recipient: published with the outcome of the attempt that first hands
    // it to SMTP, and marked in the ledger then — a recipient held by a limit or an operator's
    // pause first is still announced. Records from before the mark: an SMTP deferral means sent.
    const firstSent = (recipients: string[]) =>
      recipients.filter((a) => {
        const state = ledger.get(a);
        const deferredBySmtp = state?.status === 'deferred' && !state.reply?.startsWith('throttled:');
        return !sentAnnounced.has(a) && !deferredBySmtp;
      });

    let throttledForMs: number | undefined;
    // Mail that must wait (a destination's limit, an operator's pause) shows as deferred with
    // the reason, once, and is looked at again after `retryAfterMs` without spending an attempt.
    const hold = async (recipients: string[], reason: string, retryAfterMs: number) => {
      const lifetimeOver = deps.now().getTime() >= deadline;
      // Already waiting for the same kind of reason: nothing new to record (a limit's wording
      // changes with its counters; the timeline should not grow on every release).
      const paused = reason.endsWith(PAUSED_BY_OPERATOR);
      const known = recipients.every((a) => {
        const reply = ledger.get(a)?.reply;
        return reply?.startsWith('throttled:') && reply.endsWith(PAUSED_BY_OPERATOR) === paused;
      });
      if (!known || lifetimeOver) {
        const at = deps.now().toISOString();
        await recordThrottled(deps.stores, deps.publisher, data, recipients, reason, lifetimeOver, at);
        deps.metrics.count(data.tenantId, lifetimeOver ? 'failed' : 'deferred', recipients);
      }
      if (!lifetimeOver) throttledForMs = Math.min(throttledForMs ?? Infinity, retryAfterMs);
    };
    const groups = (await deps.tenantPaused(data.tenantId))
      ? (await hold(pending, `tenant ${data.tenantId} ${PAUSED_BY_OPERATOR}`, PAUSED_RETRY_MS), [])
      : groupByDomain(pending);

    let retry = false;
    for (const [domain, recipients] of groups) {
      const lifetimeOver = deps.now().getTime() >= deadline;
      const slot = await deps.limiter.acquire(domain, `${data.id}:${domain}`);
      if (!slot.ok) {
        await hold(recipients, slot.reason, slot.retryAfterMs);
        continue;
      }
      const span = tracer().startSpan(SPANS.smtpSend, {
        attributes: {
          [ATTRS.messageId]: data.id,
          [ATTRS.tenantId]: data.tenantId,
          [ATTRS.recipients]: recipients.length,
        },
      });
      // The connection slot is given back as soon as SMTP is done, side by side with recording.
      let released: Promise<void> | undefined;
      const release = () => (released ??= slot.lease.release());
      try {
        await recordAttempt(recipients);
        const outcomes = await deliverGroup(deps.route, domain, message, recipients, deps.rules);
        await Promise.all([
          release(),
          outcomes.some((o) => o.slowDown) ? deps.limiter.slowDown(domain) : undefined,
          recordOutcomes(
            deps.stores,
            deps.publisher,
            data,
            outcomes,
            lifetimeOver,
            deps.now().toISOString(),
            firstSent(recipients),
          ),
        ]);
        deps.metrics.transaction(data, outcomes, (o) => statusOf(o, lifetimeOver), deps.now());
        retry ||= !lifetimeOver && outcomes.some((o) => o.disposition === 'deferred');
      } finally {
        span.end();
        await release();
      }
    }
    if (retry) throw new DeferredError('some recipients were deferred; retrying with backoff');
    if (throttledForMs !== undefined && token) {
      // Waiting for a destination's budget is not a failed attempt: move the
      // job back to delayed without spending one (BullMQ manual delay).
      await job.moveToDelayed(Date.now() + throttledForMs, token);
      throw new DelayedError();
    }
  };
}

async function withTracking(deps: EmailProcessorDeps, job: EmailJob): Promise<EmailJob> {
  if (!deps.tracking || job.email.html === undefined) return job;
  const defaults = await deps.tenantTracking(job.tenantId);
  const wants = {
    opens: job.email.tracking?.opens ?? defaults.opens,
    clicks: job.email.tracking?.clicks ?? defaults.clicks,
  };
  const html = await applyTracking(job, wants, deps.tracking);
  return html === undefined ? job : { ...job, email: { ...job.email, html } };
}
