import type { TrackingHit, TrackingPort } from '@mailq/contracts';
import { enqueue } from '@mailq/queues';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { durably } from '../storage-errors';

/** Hands a verified open or click to the tracking queue; the worker records and publishes it. */
export class TrackingService implements TrackingPort {
  constructor(
    private readonly queue: Queue,
    private readonly now: () => Date,
  ) {}

  record(hit: TrackingHit): Promise<void> {
    return durably(() =>
      enqueue(this.queue, 'tracking', randomUUID(), {
        tenantId: hit.tenantId,
        messageId: hit.messageId,
        kind: hit.kind,
        at: this.now().toISOString(),
        ...(hit.recipient ? { recipient: hit.recipient } : {}),
        ...(hit.url ? { url: hit.url } : {}),
        ...(hit.userAgent ? { userAgent: hit.userAgent.slice(0, 500) } : {}),
      }),
    );
  }
}
