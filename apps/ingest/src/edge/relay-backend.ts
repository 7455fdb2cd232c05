import {
  ApiError,
  ErrorEnvelope,
  RELAY_RPC_PATH,
  type Backend,
  type Readiness,
  type RelayMethod,
} from '@mailq/contracts';
import { signRelayRequest } from '@mailq/signing';
import * as v from 'valibot';

export interface RelayBackendOptions {
  /** RELAY_URL: the relay's base URL, e.g. https://relay.internal.example.com. */
  url: string;
  /** RELAY_SECRET: shared with the relay; signs every call. */
  secret: string;
  /** How long one call may take before it counts as a storage failure, ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * The `Backend` port over HTTP, for an ingest that runs away from Redis (on
 * Cloudflare Workers). Every call is one signed POST to the relay. A relay
 * that cannot be reached, times out or answers garbage becomes
 * `storage_unavailable` (503): the ingest never answers 2xx unless the relay
 * said the message is stored.
 */
export function createRelayBackend(options: RelayBackendOptions): Backend {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(method: RelayMethod, args: unknown[]): Promise<T> {
    const path = `${RELAY_RPC_PATH}/${method}`;
    const body = JSON.stringify({ args });
    const headers = await signRelayRequest({ method: 'POST', path, body }, options.secret, options.now);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ApiError('storage_unavailable', `The relay could not be reached: ${describe(error)}`);
    }
    const payload = await response.json().catch(() => undefined);
    if (response.ok && isObject(payload) && 'result' in payload) return payload.result as T;
    const envelope = v.safeParse(ErrorEnvelope, payload);
    if (envelope.success && envelope.output.error.code === 'unauthorized') {
      // The relay refused our signature: RELAY_SECRET differs or the clocks drifted. The
      // caller's API key is not at fault, so this is the platform being unavailable.
      throw new ApiError(
        'storage_unavailable',
        'The relay refused the request signature; check RELAY_SECRET.',
      );
    }
    if (envelope.success && response.status < 500) {
      const { code, message, issues } = envelope.output.error;
      throw new ApiError(code, message, issues);
    }
    if (envelope.success && envelope.output.error.code === 'storage_unavailable') {
      throw new ApiError('storage_unavailable', envelope.output.error.message);
    }
    // A relay-side 500, a proxy's error page, or a refused signature: never a 2xx to the caller.
    throw new ApiError('storage_unavailable', `The relay answered ${response.status}`);
  }

  // Each method forwards its arguments as they are; the relay's answer is typed by the port
  // it implements (the relay runs the same `Backend` interface), hence `never` here.
  const rpc =
    (method: RelayMethod) =>
    (...args: unknown[]): Promise<never> =>
      call<never>(method, args);

  return {
    authenticate: rpc('authenticate'),
    async readiness(): Promise<Readiness> {
      try {
        return await call<Readiness>('readiness', []);
      } catch (error) {
        return { ok: false, checks: { relay: { ok: false, detail: describe(error) } } };
      }
    },
    emails: {
      send: rpc('emails.send'),
      sendBatch: rpc('emails.sendBatch'),
      get: rpc('emails.get'),
      list: rpc('emails.list'),
      cancel: rpc('emails.cancel'),
    },
    suppressions: {
      list: rpc('suppressions.list'),
      add: rpc('suppressions.add'),
      remove: rpc('suppressions.remove'),
    },
    domains: {
      create: rpc('domains.create'),
      list: rpc('domains.list'),
      get: rpc('domains.get'),
      verify: rpc('domains.verify'),
    },
    templates: {
      create: rpc('templates.create'),
      list: rpc('templates.list'),
      get: rpc('templates.get'),
      update: rpc('templates.update'),
      remove: rpc('templates.remove'),
    },
    webhooks: {
      create: rpc('webhooks.create'),
      list: rpc('webhooks.list'),
      get: rpc('webhooks.get'),
      update: rpc('webhooks.update'),
      remove: rpc('webhooks.remove'),
      replay: rpc('webhooks.replay'),
      deliveries: rpc('webhooks.deliveries'),
    },
    analytics: { query: rpc('analytics.query') },
    tracking: { record: rpc('tracking.record') },
    feedback: { provider: rpc('feedback.provider'), inbound: rpc('feedback.inbound') },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
