import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { guardedLookup } from './guarded-lookup';
import { parseWebhookUrl, WebhookUrlError, type AddressPolicy } from './ssrf-guard';

/** One signed POST to a customer endpoint. */
export interface WebhookRequest {
  url: string;
  /** Usually the Standard Webhooks headers from `signWebhook`. */
  headers: Record<string, string>;
  body: string;
}

/** Limits and address policy for one delivery attempt. */
export interface DeliverWebhookOptions extends AddressPolicy {
  /** Deadline for DNS, connect, request and the whole response, in ms (default 10 000). */
  timeoutMs?: number;
  /** Response bodies larger than this many bytes abort the attempt (default 64 KiB). */
  maxResponseBytes?: number;
  /** DNS port shaped like `dns.lookup` (default); tests inject fixed answers. */
  lookup?: LookupFunction;
}

/** What happened on one attempt; recorded on the delivery log, never thrown. */
export interface WebhookAttempt {
  /** True only for a 2xx answer whose body was read within the limits. */
  ok: boolean;
  status?: number;
  durationMs: number;
  /** The first 1 KiB of the response body, decoded as UTF-8. */
  responseSnippet?: string;
  /** Why the attempt failed, e.g. `timeout after 10000 ms`, `redirect not followed (302)`. */
  error?: string;
}

const SNIPPET_BYTES = 1024;

/**
 * POSTs a webhook with SSRF protection (DESIGN.md §6): the URL is vetted by
 * `parseWebhookUrl`, and every DNS answer is vetted at connect time. Redirects
 * are reported, never followed, since a 3xx could point at an internal
 * address. Sockets are not pooled (`agent: false`): a kept-alive socket would
 * be reused without a fresh lookup, bypassing the check of the new request.
 */
export async function deliverWebhook(
  request: WebhookRequest,
  options: DeliverWebhookOptions = {},
): Promise<WebhookAttempt> {
  const { timeoutMs = 10_000, maxResponseBytes = 64 * 1024, lookup = dnsLookup, ...policy } = options;
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = parseWebhookUrl(request.url, policy);
  } catch (error) {
    if (error instanceof WebhookUrlError) return { ok: false, durationMs: elapsed(), error: error.message };
    throw error;
  }

  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(lookup, policy),
      headers: {
        ...request.headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(request.body)),
        'user-agent': 'MailQueue-Webhooks/1',
      },
    });
    let settled = false;
    const finish = (attempt: Omit<WebhookAttempt, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...attempt, durationMs: elapsed() });
    };
    // One deadline over lookup, connect and response: a receiver that accepts
    // the connection and then trickles bytes cannot hold a worker forever.
    // The status, once known, stays on the attempt: "200 then timed out" and
    // "never answered" call for different fixes on the customer's side.
    let status: number | undefined;
    const fail = (error: string): void =>
      finish({ ok: false, ...(status === undefined ? {} : { status }), error });
    const timer = setTimeout(() => fail(`timeout after ${timeoutMs} ms`), timeoutMs);
    req.on('error', (error) => fail(error.message));
    req.on('response', (res) => {
      status = res.statusCode;
      readResponse(res, maxResponseBytes, finish);
    });
    req.end(request.body);
  });
}

function readResponse(
  res: IncomingMessage,
  maxBytes: number,
  finish: (attempt: Omit<WebhookAttempt, 'durationMs'>) => void,
): void {
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400)
    return finish({ ok: false, status, error: `redirect not followed (${status})` });
  const tooLarge = { ok: false, status, error: `response exceeded ${maxBytes} bytes` };
  if (Number(res.headers['content-length'] ?? 0) > maxBytes) return finish(tooLarge);

  const head: Buffer[] = [];
  let kept = 0;
  let received = 0;
  const snippet = (): string => new TextDecoder().decode(Buffer.concat(head));
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (kept < SNIPPET_BYTES) {
      head.push(chunk.subarray(0, SNIPPET_BYTES - kept));
      kept = Math.min(SNIPPET_BYTES, kept + chunk.length);
    }
    if (received > maxBytes) finish({ ...tooLarge, responseSnippet: snippet() });
  });
  res.on('end', () => finish({ ok: status >= 200 && status < 300, status, responseSnippet: snippet() }));
  res.on('error', (error) => finish({ ok: false, status, error: error.message }));
}
