import type {
  Principal,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointUpdate,
  WebhookReplayInput,
  WebhooksPort,
} from '@mailq/contracts';
import { EventType } from '@mailq/contracts';
import { webhookJob, type Stores, type StoredEndpoint } from '@mailq/store';
import { generateWebhookSecret, parseWebhookUrl } from '@mailq/webhooks';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { durably } from '../storage-errors';
import { ApiError } from '@mailq/contracts';

/** After a rotation the previous secret keeps verifying this long, so receivers can switch over. */
const ROTATION_GRACE_MS = 24 * 3_600_000;
const ALL_EVENT_TYPES = EventType.options;

/** `/v1/webhooks`: endpoints, secret rotation, replay and the delivery log. */
export class WebhookService implements WebhooksPort {
  constructor(
    private readonly deps: {
      stores: Stores;
      webhookQueue: Queue;
      now: () => Date;
      urlPolicy: { allowLoopback: boolean; allowPrivate: boolean };
    },
  ) {}

  async create(principal: Principal, input: WebhookEndpointInput): Promise<WebhookEndpoint> {
    this.checkUrl(input.url);
    const secret = generateWebhookSecret();
    const endpoint: StoredEndpoint = {
      id: `wh_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      tenant_id: principal.tenantId,
      url: input.url,
      event_types: input.event_types ?? [...ALL_EVENT_TYPES],
      enabled: input.enabled,
      ...(input.description ? { description: input.description } : {}),
      created_at: this.deps.now().toISOString(),
      secrets: [{ secret }],
    };
    await durably(() => this.deps.stores.endpoints.save(endpoint));
    return { ...view(endpoint), secret };
  }

  async list(principal: Principal): Promise<WebhookEndpoint[]> {
    return (await durably(() => this.deps.stores.endpoints.list(principal.tenantId))).map(view);
  }

  async get(principal: Principal, id: string): Promise<WebhookEndpoint | null> {
    const endpoint = await durably(() => this.deps.stores.endpoints.get(principal.tenantId, id));
    return endpoint ? view(endpoint) : null;
  }

  async update(
    principal: Principal,
    id: string,
    patch: WebhookEndpointUpdate,
  ): Promise<WebhookEndpoint | null> {
    const endpoint = await durably(() => this.deps.stores.endpoints.get(principal.tenantId, id));
    if (!endpoint) return null;
    if (patch.url) this.checkUrl(patch.url);
    const now = this.deps.now();
    const rotated = patch.rotate_secret ? generateWebhookSecret() : undefined;
    const next: StoredEndpoint = {
      ...endpoint,
      ...(patch.url ? { url: patch.url } : {}),
      ...(patch.event_types ? { event_types: patch.event_types } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
      secrets: rotated
        ? [
            { secret: rotated },
            ...endpoint.secrets
              .slice(0, 1)
              .map((s) => ({ ...s, expires_at: new Date(now.getTime() + ROTATION_GRACE_MS).toISOString() })),
          ]
        : endpoint.secrets,
    };
    // Re-enabling by hand clears the automatic disablement.
    if (patch.enabled === true) {
      delete next.disabled_reason;
      delete next.failing_since;
    }
    await durably(() => this.deps.stores.endpoints.save(next));
    return { ...view(next), ...(rotated ? { secret: rotated } : {}) };
  }

  remove(principal: Principal, id: string): Promise<boolean> {
    return durably(() => this.deps.stores.endpoints.remove(principal.tenantId, id));
  }

  async replay(
    principal: Principal,
    id: string,
    input: WebhookReplayInput,
  ): Promise<{ queued: number } | null> {
    const endpoint = await durably(() => this.deps.stores.endpoints.get(principal.tenantId, id));
    if (!endpoint) return null;
    const events = await durably(() =>
      this.deps.stores.events.between(principal.tenantId, new Date(input.from), new Date(input.to)),
    );
    const wanted = events.filter((e) => endpoint.event_types.includes(e.type));
    // A replay is a new delivery of each event: a fresh job key, the same webhook-id (so receivers can de-duplicate).
    const replayKey = `replay-${randomUUID().slice(0, 8)}`;
    await durably(() =>
      this.deps.webhookQueue.addBulk(
        wanted.map((event) => webhookJob(principal.tenantId, id, event, `${event.id}_${replayKey}`)),
      ),
    );
    return { queued: wanted.length };
  }

  async deliveries(principal: Principal, id: string): Promise<WebhookDelivery[] | null> {
    const endpoint = await durably(() => this.deps.stores.endpoints.get(principal.tenantId, id));
    if (!endpoint) return null;
    return durably(() => this.deps.stores.events.deliveries(principal.tenantId, id));
  }

  private checkUrl(url: string): void {
    try {
      parseWebhookUrl(url, this.deps.urlPolicy);
    } catch (error) {
      throw new ApiError('invalid_request', `url: ${(error as Error).message}`, [
        { path: 'url', message: (error as Error).message },
      ]);
    }
  }
}

function view(endpoint: StoredEndpoint): WebhookEndpoint {
  const { secrets: _secrets, tenant_id: _tenant, ...rest } = endpoint;
  return rest;
}
