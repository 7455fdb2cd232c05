import { ApiError, type FeedbackPort, type Principal, type ProviderRequest } from '@mailq/contracts';
import {
  FeedbackAuthError,
  FeedbackFormatError,
  createSnsCertificateFetcher,
  parseArf,
  parseDsn,
  verifyMailgun,
  verifyPostmark,
  verifySendgrid,
  verifySnsMessage,
  type FeedbackEvent,
} from '@mailq/feedback';
import { enqueueBulk } from '@mailq/queues';
import type { Stores } from '@mailq/store';
import type { Queue } from 'bullmq';
import { createHash } from 'node:crypto';
import { durably } from '../storage-errors';

/** Trust roots of each provider, from configuration; a provider without settings is refused. */
export interface ProviderSettings {
  ses: { allowedTopicArns: string[] };
  sendgrid?: { publicKey: string };
  mailgun?: { signingKey: string };
  postmark?: { user: string; password: string; allowedIps: string[] };
}

type ProviderName = Parameters<FeedbackPort['provider']>[0];

export interface FeedbackServiceDeps {
  stores: Stores;
  bounceQueue: Queue;
  now: () => Date;
  settings: ProviderSettings;
  /** Fetches SNS signing certificates (tests serve their own). */
  fetchCertificate?: (url: string) => Promise<string>;
  /** Confirms an SNS subscription by GETting its SubscribeURL (tests record it instead). */
  confirmSubscription?: (url: string) => Promise<void>;
}

/**
 * Provider webhooks and forwarded DSN/ARF reports: verified here (the raw body
 * is what the signatures cover), normalised, and queued on the bounce queue
 * once each; the worker applies them. A forged, stale or replayed request is
 * refused with the status that stops that provider's retries; our own storage
 * trouble answers 503, which every provider retries.
 */
export class FeedbackService implements FeedbackPort {
  private readonly fetchCertificate: (url: string) => Promise<string>;

  constructor(private readonly deps: FeedbackServiceDeps) {
    this.fetchCertificate = deps.fetchCertificate ?? createSnsCertificateFetcher();
  }

  async provider(name: ProviderName, request: ProviderRequest): Promise<{ accepted: number }> {
    let events: FeedbackEvent[];
    try {
      events = await this.verify(name, request);
    } catch (error) {
      // Mailgun stops retrying only on 406; the others on 403 (refusal) / 400 (malformed).
      if (error instanceof FeedbackAuthError) {
        throw new ApiError(name === 'mailgun' ? 'not_acceptable' : 'forbidden', error.message);
      }
      if (error instanceof FeedbackFormatError) {
        throw new ApiError(name === 'mailgun' ? 'not_acceptable' : 'invalid_request', error.message);
      }
      throw error;
    }
    return this.queue(events);
  }

  async inbound(principal: Principal, raw: string, envelopeTo?: string): Promise<{ accepted: number }> {
    const events = await this.parseReport(raw, envelopeTo);
    // A report may only speak about the caller's own messages.
    const own: FeedbackEvent[] = [];
    for (const event of events) {
      if (
        event.messageId &&
        (await durably(() => this.deps.stores.messages.tenantOf(event.messageId ?? ''))) ===
          principal.tenantId
      ) {
        own.push(event);
      }
    }
    return this.queue(own);
  }

  /**
   * A report that arrived at our bounce MX (the return path): trusted by
   * route rather than by key, it may speak about any tenant's message.
   */
  async report(raw: string, envelopeTo?: string): Promise<{ accepted: number }> {
    return this.queue(await this.parseReport(raw, envelopeTo));
  }

  private async parseReport(raw: string, envelopeTo?: string): Promise<FeedbackEvent[]> {
    const options = envelopeTo ? { envelopeTo } : {};
    return [...(await parseDsn(raw, options)), ...(await parseArf(raw, options))];
  }

  private async verify(name: ProviderName, request: ProviderRequest): Promise<FeedbackEvent[]> {
    const now = this.deps.now;
    const { settings } = this.deps;
    switch (name) {
      case 'ses': {
        const result = await verifySnsMessage(parseJson(request.rawBody), {
          fetchCertificate: this.fetchCertificate,
          allowedTopicArns: settings.ses.allowedTopicArns,
          now,
        });
        if (result.kind === 'subscription')
          await (this.deps.confirmSubscription ?? confirmByGet)(result.subscribeUrl);
        return result.kind === 'notification' ? result.events : [];
      }
      case 'sendgrid':
        if (!settings.sendgrid) throw notConfigured(name);
        return verifySendgrid(
          {
            rawBody: request.rawBody,
            signature: request.headers['x-twilio-email-event-webhook-signature'],
            timestamp: request.headers['x-twilio-email-event-webhook-timestamp'],
          },
          { publicKey: settings.sendgrid.publicKey, now },
        );
      case 'mailgun':
        if (!settings.mailgun) throw notConfigured(name);
        return verifyMailgun(parseJson(request.rawBody), {
          signingKey: settings.mailgun.signingKey,
          now,
          claimToken: (token) => durably(() => this.deps.stores.seen.claim('mailgun-token', token, 3600)),
        });
      case 'postmark':
        if (!settings.postmark) throw notConfigured(name);
        return verifyPostmark(
          {
            authorization: request.headers.authorization,
            ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
            body: parseJson(request.rawBody),
          },
          {
            username: settings.postmark.user,
            password: settings.postmark.password,
            ...(settings.postmark.allowedIps.length > 0 ? { allowedIps: settings.postmark.allowedIps } : {}),
            now,
          },
        );
    }
  }

  private async queue(events: FeedbackEvent[]): Promise<{ accepted: number }> {
    const jobs = events.map((event) => ({
      // The provider's event id makes a redelivered webhook the same job.
      jobId: createHash('sha256')
        .update(`${event.provider}:${event.providerEventId}:${event.recipient}`)
        .digest('hex'),
      payload: {
        provider: event.provider,
        providerEventId: `${event.providerEventId}:${event.recipient}`,
        type: event.type,
        recipient: event.recipient,
        occurredAt: event.occurredAt,
        ...(event.bounceType ? { bounceType: event.bounceType } : {}),
        ...(event.messageId ? { messageId: event.messageId } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        ...(event.status ? { status: event.status } : {}),
        ...(event.url ? { url: event.url } : {}),
        ...(event.userAgent ? { userAgent: event.userAgent } : {}),
      },
    }));
    if (jobs.length > 0) await durably(() => enqueueBulk(this.deps.bounceQueue, 'bounce', jobs));
    return { accepted: jobs.length };
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new FeedbackFormatError('the body is not JSON');
  }
}

function notConfigured(name: string): FeedbackAuthError {
  return new FeedbackAuthError('signature', `${name} webhooks are not configured on this platform`);
}

async function confirmByGet(url: string): Promise<void> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`SNS subscription confirmation answered ${response.status}`);
}
