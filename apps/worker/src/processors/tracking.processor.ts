import { isMachineEvent } from '@mailq/mail';
import { parsePayload } from '@mailq/queues';
import type { EventPublisher, Stores } from '@mailq/store';
import type { Job } from 'bullmq';

/**
 * Records an open or a click on the message's timeline and publishes it.
 * Opens and clicks within seconds of delivery, or from known prefetchers and
 * link scanners, are kept but flagged `machine`, so they do not pass for a
 * person's interest.
 */
export function trackingProcessor(stores: Stores, publisher: EventPublisher) {
  return async function processTracking(job: Job): Promise<void> {
    const event = parsePayload('tracking', job.data);
    const email = await stores.messages.get(event.tenantId, event.messageId);
    if (!email) return; // expired or foreign: nothing to attach the event to
    const delivered = email.events.find(
      (e) => e.type === 'delivered' && (event.recipient === undefined || e.recipient === event.recipient),
    );
    const secondsSinceDelivery = delivered
      ? (Date.parse(event.at) - Date.parse(delivered.at)) / 1000
      : undefined;
    const verdict = isMachineEvent({
      kind: event.kind,
      ...(event.userAgent ? { userAgent: event.userAgent } : {}),
      ...(secondsSinceDelivery !== undefined ? { secondsSinceDelivery } : {}),
    });
    const type = event.kind === 'open' ? 'opened' : 'clicked';
    await stores.messages.update(
      event.messageId,
      [],
      [
        {
          type,
          at: event.at,
          ...(event.recipient ? { recipient: event.recipient } : {}),
          ...(event.url ? { url: event.url } : {}),
          machine: verdict.machine,
          ...(verdict.reason ? { detail: verdict.reason } : {}),
        },
      ],
      event.at,
    );
    await publisher.publish(event.tenantId, event.kind === 'open' ? 'email.opened' : 'email.clicked', {
      email_id: event.messageId,
      ...(event.recipient ? { recipient: event.recipient } : {}),
      ...(event.url ? { url: event.url } : {}),
      ...(event.userAgent ? { user_agent: event.userAgent } : {}),
      machine: verdict.machine,
    });
  };
}
