import { parsePayload } from '@mailq/queues';
import { activeSecrets, type Stores } from '@mailq/store';
import { LABELS, mailqMetrics } from '@mailq/telemetry';
import { deliverWebhook, signWebhook } from '@mailq/webhooks';
import type { Job } from 'bullmq';

/**
 * `mailq_webhook_deliveries_total{outcome}` per attempt: delivered (2xx),
 * retry (failed, another attempt is scheduled), exhausted (failed, no attempt
 * left), endpoint_disabled (failed for longer than WEBHOOK_DISABLE_AFTER_MS).
 */
type WebhookOutcome = 'delivered' | 'retry' | 'exhausted' | 'endpoint_disabled';

export interface WebhookProcessorDeps {
  stores: Stores;
  now: () => Date;
  timeoutMs: number;
  /** An endpoint failing without a success for this long is disabled (and says so). */
  disableAfterMs: number;
  /** Only tests and trusted deployments deliver to loopback or private addresses. */
  allowLoopback: boolean;
  allowPrivate: boolean;
}

/**
 * Delivers one event to one endpoint, signed per Standard Webhooks with every
 * secret still valid (rotation), through the SSRF-guarded client. Failures
 * are retried on the webhook schedule (more than 24 h); every attempt goes to
 * the endpoint's delivery log.
 */
export function webhookProcessor(deps: WebhookProcessorDeps) {
  return async function processWebhook(job: Job): Promise<void> {
    const data = parsePayload('webhook', job.data);
    const endpoint = await deps.stores.endpoints.get(data.tenantId, data.endpointId);
    if (!endpoint?.enabled) return; // removed or disabled since: nothing to deliver to
    const now = deps.now();
    const body = JSON.stringify({ type: data.type, created_at: data.createdAt, data: data.data });
    const headers = signWebhook({
      id: data.eventId,
      timestamp: now,
      body,
      secrets: activeSecrets(endpoint, now),
    });
    const attempt = await deliverWebhook(
      { url: endpoint.url, headers, body },
      { timeoutMs: deps.timeoutMs, allowLoopback: deps.allowLoopback, allowPrivate: deps.allowPrivate },
    );
    await deps.stores.events.logDelivery(data.tenantId, endpoint.id, {
      event_id: data.eventId,
      type: data.type,
      at: now.toISOString(),
      attempt: job.attemptsMade + 1,
      ok: attempt.ok,
      duration_ms: attempt.durationMs,
      ...(attempt.status !== undefined ? { status: attempt.status } : {}),
      ...(attempt.error ? { error: attempt.error } : {}),
    });
    const outcome = (value: WebhookOutcome) =>
      mailqMetrics().webhookDeliveries.add(1, { [LABELS.outcome]: value });
    if (attempt.ok) {
      outcome('delivered');
      if (endpoint.failing_since) {
        const { failing_since: _since, ...healthy } = endpoint;
        await deps.stores.endpoints.save(healthy);
      }
      return;
    }
    const failingSince = endpoint.failing_since ?? now.toISOString();
    const reason = attempt.error ?? `HTTP ${attempt.status}`;
    if (now.getTime() - Date.parse(failingSince) >= deps.disableAfterMs) {
      await deps.stores.endpoints.save({
        ...endpoint,
        enabled: false,
        failing_since: failingSince,
        disabled_reason: `disabled after failing since ${failingSince}; last error: ${reason}`,
      });
      outcome('endpoint_disabled');
      return;
    }
    outcome(job.attemptsMade + 1 >= (job.opts.attempts ?? 1) ? 'exhausted' : 'retry');
    if (!endpoint.failing_since)
      await deps.stores.endpoints.save({ ...endpoint, failing_since: failingSince });
    throw new Error(`webhook delivery to ${endpoint.id} failed: ${reason}`);
  };
}
