import type { BatchItemResult } from './batch';
import type { Domain, DomainInput } from './domains';
import type { EmailSummary, ListEmailsQuery } from './list-emails';
import type { EmailStatusResponse } from './message-status';
import type { Page, PageQuery } from './pagination';
import type { SendEmailRequest } from './send-email';
import type { Suppression, SuppressionInput } from './suppressions';
import type { AnalyticsQuery, AnalyticsResult } from './analytics';
import type { Template, TemplateInput, TemplateUpdate } from './templates';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointInput,
  WebhookEndpointUpdate,
  WebhookReplayInput,
} from './webhooks';

/** Who is calling: resolved from the API key by `Backend.authenticate`. */
export interface Principal {
  tenantId: string;
  keyId: string;
}

/** W3C trace context (`traceparent`, `tracestate`) carried from the request into the job. */
export type TraceCarrier = Record<string, string>;

export interface SendOptions {
  idempotencyKey?: string;
  trace?: TraceCarrier;
}

/** One item of a batch after validation: either a valid request or the error to report for it. */
export type BatchItem = { index: number; email: SendEmailRequest } | { index: number; error: BatchItemError };
export type BatchItemError = Extract<BatchItemResult, { error: unknown }>['error'];

export interface Readiness {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Sending, reading, searching and cancelling messages. */
export interface EmailsPort {
  /** Resolves only once the message is durably stored. */
  send(principal: Principal, email: SendEmailRequest, options: SendOptions): Promise<{ id: string }>;
  sendBatch(principal: Principal, items: BatchItem[], options: SendOptions): Promise<BatchItemResult[]>;
  /** Null when the message does not exist or belongs to another tenant. */
  get(principal: Principal, id: string): Promise<EmailStatusResponse | null>;
  list(principal: Principal, query: ListEmailsQuery): Promise<Page<EmailSummary>>;
  /** Cancels a scheduled or not-yet-sent message; `conflict` once sending has started. Null when not found. */
  cancel(principal: Principal, id: string): Promise<EmailStatusResponse | null>;
}

export interface SuppressionsPort {
  list(principal: Principal, query: PageQuery): Promise<Page<Suppression>>;
  add(principal: Principal, input: SuppressionInput): Promise<Suppression>;
  /** False when the address was not suppressed. */
  remove(principal: Principal, email: string): Promise<boolean>;
}

export interface DomainsPort {
  create(principal: Principal, input: DomainInput): Promise<Domain>;
  list(principal: Principal, query: PageQuery): Promise<Page<Domain>>;
  get(principal: Principal, id: string): Promise<Domain | null>;
  /** Looks the records up in DNS and marks the domain verified when DKIM and SPF are found. */
  verify(principal: Principal, id: string): Promise<Domain | null>;
}

export interface TemplatesPort {
  create(principal: Principal, input: TemplateInput): Promise<Template>;
  list(principal: Principal, query: PageQuery): Promise<Page<Template>>;
  get(principal: Principal, idOrName: string): Promise<Template | null>;
  update(principal: Principal, idOrName: string, patch: TemplateUpdate): Promise<Template | null>;
  remove(principal: Principal, idOrName: string): Promise<boolean>;
}

export interface WebhooksPort {
  /** The answer carries the signing secret, shown this once. */
  create(principal: Principal, input: WebhookEndpointInput): Promise<WebhookEndpoint>;
  list(principal: Principal): Promise<WebhookEndpoint[]>;
  get(principal: Principal, id: string): Promise<WebhookEndpoint | null>;
  update(principal: Principal, id: string, patch: WebhookEndpointUpdate): Promise<WebhookEndpoint | null>;
  remove(principal: Principal, id: string): Promise<boolean>;
  /** Re-sends the tenant's events of a time range to the endpoint; null when there is no such endpoint. */
  replay(principal: Principal, id: string, input: WebhookReplayInput): Promise<{ queued: number } | null>;
  deliveries(principal: Principal, id: string): Promise<WebhookDelivery[] | null>;
}

export interface AnalyticsPort {
  query(principal: Principal, query: AnalyticsQuery): Promise<AnalyticsResult>;
}

/** An open or click whose token the ingest has verified. */
export interface TrackingHit {
  kind: 'open' | 'click';
  tenantId: string;
  messageId: string;
  recipient?: string;
  url?: string;
  userAgent?: string;
}

export interface TrackingPort {
  record(hit: TrackingHit): Promise<void>;
}

/** A provider's webhook request exactly as received: verification needs the raw body. */
export interface ProviderRequest {
  rawBody: string;
  headers: Record<string, string>;
  remoteAddress?: string;
}

export interface FeedbackPort {
  /** Verifies and queues a provider's events; resolves to how many were accepted. */
  provider(
    name: 'ses' | 'sendgrid' | 'mailgun' | 'postmark',
    request: ProviderRequest,
  ): Promise<{ accepted: number }>;
  /** Parses a DSN or ARF report forwarded from a bounce mailbox; `envelopeTo` is the address it was sent to (VERP). */
  inbound(principal: Principal, raw: string, envelopeTo?: string): Promise<{ accepted: number }>;
}

/**
 * The port between the ingest (which runs on Node or Cloudflare Workers) and
 * the relay that stores messages durably. Implementations throw `ApiError`
 * (`idempotency_conflict`, `storage_unavailable`, …); a resolved send means
 * the messages are stored.
 */
export interface Backend {
  /** Resolves an API key to its tenant, or null when the key is unknown or revoked. */
  authenticate(apiKey: string): Promise<Principal | null>;
  readiness(): Promise<Readiness>;
  emails: EmailsPort;
  suppressions: SuppressionsPort;
  domains: DomainsPort;
  templates: TemplatesPort;
  webhooks: WebhooksPort;
  analytics: AnalyticsPort;
  tracking: TrackingPort;
  feedback: FeedbackPort;
}
