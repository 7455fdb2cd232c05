import { TERMINAL_STATUSES, type EmailEvent, type EventType } from '@mailq/contracts';
import { parsePayload, type JobPayload } from '@mailq/queues';
import type { EventPublisher, RecipientUpdate, Stores } from '@mailq/store';
import type { Job } from 'bullmq';

type Feedback = JobPayload<'bounce'>;

/**
 * Applies verified feedback from providers, DSNs and ARF reports to the
 * message it belongs to, exactly once per provider event id: hard bounces and
 * complaints put the recipient on the tenant's suppression list; every kind
 * is recorded on the timeline and published as its email.* event.
 */
export function bounceProcessor(stores: Stores, publisher: EventPublisher) {
  return async function processFeedback(job: Job): Promise<void> {
    const feedback = parsePayload('bounce', job.data);
    const tenantId = feedback.messageId ? await stores.messages.tenantOf(feedback.messageId) : null;
    if (!feedback.messageId || !tenantId) return; // not one of ours (or expired): nothing to apply
    if (!(await stores.seen.claim(`feedback:${feedback.provider}`, feedback.providerEventId))) return;
    try {
      // A feedback loop that redacts the recipient still names the message: apply it to all its recipients.
      const recipients = feedback.recipient
        ? [feedback.recipient]
        : [...(await stores.messages.recipients(feedback.messageId)).keys()];
      for (const recipient of recipients) {
        await apply(stores, publisher, tenantId, feedback.messageId, { ...feedback, recipient });
      }
    } catch (error) {
      await stores.seen.release(`feedback:${feedback.provider}`, feedback.providerEventId);
      throw error;
    }
  };
}

async function apply(stores: Stores, publisher: EventPublisher, tenantId: string, id: string, f: Feedback) {
  const at = f.occurredAt;
  const ledger = await stores.messages.recipients(id);
  const current = ledger.get(f.recipient)?.status;
  const detail = [f.provider, f.status, f.reason].filter(Boolean).join(': ');
  const updates: RecipientUpdate[] = [];
  let timeline: EmailEvent;
  let type: EventType;
  switch (f.type) {
    case 'bounced':
      timeline = {
        type: 'bounced',
        at,
        recipient: f.recipient,
        detail: `${f.bounceType ?? 'hard'} bounce reported by ${detail}`,
      };
      type = 'email.bounced';
      if (f.bounceType !== 'soft')
        updates.push({ address: f.recipient, status: 'bounced', ...(f.reason ? { reply: f.reason } : {}) });
      break;
    case 'complained':
      timeline = {
        type: 'complained',
        at,
        recipient: f.recipient,
        detail: `complaint reported by ${f.provider}`,
      };
      type = 'email.complained';
      break;
    case 'delivered':
      timeline = { type: 'delivered', at, recipient: f.recipient, detail: `reported by ${f.provider}` };
      type = 'email.delivered';
      if (current === undefined || !TERMINAL_STATUSES.has(current))
        updates.push({ address: f.recipient, status: 'delivered' });
      break;
    default:
      timeline = {
        type: f.type,
        at,
        recipient: f.recipient,
        ...(f.url ? { url: f.url } : {}),
        detail: `reported by ${f.provider}`,
      };
      type = f.type === 'opened' ? 'email.opened' : 'email.clicked';
  }
  await stores.messages.update(id, updates, [timeline], at);
  if ((f.type === 'bounced' && f.bounceType !== 'soft') || f.type === 'complained') {
    await stores.suppressions.add(tenantId, {
      email: f.recipient,
      reason: f.type === 'complained' ? 'complaint' : 'hard_bounce',
      source: `${f.provider}:${id}`,
      ...(f.reason ? { detail: f.reason.slice(0, 500) } : {}),
      created_at: at,
    });
  }
  await publisher.publish(tenantId, type, {
    email_id: id,
    recipient: f.recipient,
    provider: f.provider,
    ...(f.bounceType ? { bounce_type: f.bounceType } : {}),
    ...(f.reason ? { reason: f.reason } : {}),
    ...(f.url ? { url: f.url } : {}),
  });
}
