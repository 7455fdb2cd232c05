import { SpanStatusCode } from '@opentelemetry/api';
import { TERMINAL_STATUSES, allRecipients, bareAddress, type EmailEvent } from '@mailq/contracts';
import { parsePayload } from '@mailq/queues';
import type { MessageStore, RecipientUpdate } from '@mailq/store';
import { ATTRS, SPANS, tracer } from '@mailq/telemetry';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { composeMessage } from '../compose-message';
import { classifySmtpError, type SmtpOutcome } from '../smtp-reply';

export interface EmailProcessorDeps {
  messages: MessageStore;
  transport: Transporter<SMTPPool.SentMessageInfo>;
  now?: () => Date;
}

/** Raised to let BullMQ retry the job with backoff after a transient failure. */
export class DeferredError extends Error {
  override name = 'DeferredError';
}

/**
 * Delivers one message. The per-recipient ledger in the message record is read
 * first: recipients that already got a 250 (or failed for good) are not sent
 * again, so a retry after a partial delivery or a crash only re-sends what is
 * still pending. 5xx → failed and not retried (UnrecoverableError); 4xx and
 * connection errors → deferred and retried with backoff until attempts run out.
 */
export function emailProcessor(deps: EmailProcessorDeps) {
  const now = deps.now ?? (() => new Date());

  return async function processEmail(job: Job): Promise<void> {
    const data = parsePayload('email', job.data);
    const ledger = await deps.messages.recipients(data.id);
    const everyone = [...new Set(allRecipients(data.email).map(bareAddress))];
    const pending = everyone.filter((address) => {
      const status = ledger.get(address)?.status;
      return status === undefined || !TERMINAL_STATUSES.has(status);
    });
    if (pending.length === 0) return;

    const attempt = job.attemptsMade + 1;
    const lastAttempt = attempt >= (job.opts.attempts ?? 1);
    const startedAt = now().toISOString();
    await deps.messages.update(
      data.id,
      pending.map((address) => ({ address, status: 'sending' })),
      [{ type: 'attempt', at: startedAt, detail: `attempt ${attempt}, ${pending.length} recipient(s)` }],
      startedAt,
    );

    const span = tracer().startSpan(SPANS.smtpSend, {
      attributes: {
        [ATTRS.messageId]: data.id,
        [ATTRS.tenantId]: data.tenantId,
        [ATTRS.recipients]: pending.length,
      },
    });
    let outcome: { delivered: RecipientUpdate[]; failures: Map<string, SmtpOutcome> };
    try {
      const info = await deps.transport.sendMail(composeMessage(data, pending));
      span.setAttribute(ATTRS.smtpReplyCode, Number(info.response.slice(0, 3)) || 0);
      outcome = sortReplies(info, pending);
    } catch (error) {
      const failure = classifySmtpError(error);
      if (failure.code) span.setAttribute(ATTRS.smtpReplyCode, failure.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.reply });
      outcome = { delivered: [], failures: new Map(pending.map((address) => [address, failure])) };
    } finally {
      span.end();
    }
    await record(deps.messages, data.id, outcome, lastAttempt, now().toISOString());
  };
}

type SentInfo = SMTPPool.SentMessageInfo & { rejectedErrors?: unknown[] };

// Splits a successful transaction into accepted recipients and those the
// server refused at RCPT TO (nodemailer goes on when at least one is accepted).
function sortReplies(info: SentInfo, pending: string[]) {
  const accepted = new Set(info.accepted.map((a) => bareAddress(String(a))));
  const failures = new Map<string, SmtpOutcome>();
  for (const error of info.rejectedErrors ?? []) {
    const recipient = (error as { recipient?: string }).recipient;
    if (recipient) failures.set(bareAddress(recipient), classifySmtpError(error));
  }
  for (const address of pending) {
    if (!accepted.has(address) && !failures.has(address)) {
      failures.set(address, { kind: 'transient', reply: 'not acknowledged by the server' });
    }
  }
  const delivered = pending
    .filter((address) => accepted.has(address))
    .map((address) => ({ address, status: 'delivered' as const, reply: info.response }));
  return { delivered, failures };
}

async function record(
  messages: MessageStore,
  id: string,
  outcome: { delivered: RecipientUpdate[]; failures: Map<string, SmtpOutcome> },
  lastAttempt: boolean,
  at: string,
): Promise<void> {
  const updates: RecipientUpdate[] = [...outcome.delivered];
  const events: EmailEvent[] = outcome.delivered.map((u) => ({
    type: 'delivered',
    at,
    recipient: u.address,
    ...(u.reply ? { reply: u.reply } : {}),
  }));
  let retry: SmtpOutcome | undefined;
  for (const [address, failure] of outcome.failures) {
    const final = failure.kind === 'permanent' || lastAttempt;
    updates.push({ address, status: final ? 'failed' : 'deferred', reply: failure.reply });
    events.push({ type: final ? 'failed' : 'deferred', at, recipient: address, reply: failure.reply });
    if (!final) retry = failure;
  }
  await messages.update(id, updates, events, at);
  if (retry) throw new DeferredError(retry.reply);
  if (outcome.failures.size > 0 && outcome.delivered.length === 0) {
    throw new UnrecoverableError([...outcome.failures.values()][0]?.reply ?? 'rejected');
  }
}
