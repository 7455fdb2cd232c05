import { ApiError, type Backend } from '@mailq/contracts';
import { signRelayRequest } from '@mailq/signing';
import { describe, expect, it } from 'vitest';
import { createRelayApp } from './relay-app';

const SECRET = 'relay-secret-for-unit-tests-0123456789';
const principal = { tenantId: 't1', keyId: 'k1' };

// Only the methods these tests call; the relay dispatches by name.
const backend = {
  authenticate: async (key: string) => (key === 'good' ? principal : null),
  readiness: async () => ({ ok: true, checks: { redis: { ok: true } } }),
  emails: {
    send: async (_p: unknown, email: { subject: string }) => {
      if (email.subject === 'conflict') throw new ApiError('idempotency_conflict', 'Key reused.');
      if (email.subject === 'crash') throw new Error('boom');
      return { id: 'msg_1' };
    },
  },
  tracking: { record: async () => undefined },
} as unknown as Backend;

function relay() {
  const seen = new Set<string>();
  const warnings: string[] = [];
  const app = createRelayApp({
    backend,
    secret: SECRET,
    claimNonce: async (nonce) => !seen.has(nonce) && Boolean(seen.add(nonce)),
    logger: {
      error: () => undefined,
      warn: (fields) => warnings.push(String(fields.reason ?? fields.cause)),
    },
  });
  return { app, warnings };
}

async function signedCall(method: string, args: unknown[], secret = SECRET, now?: () => number) {
  const path = `/internal/v1/rpc/${method}`;
  const body = JSON.stringify({ args });
  const headers = await signRelayRequest({ method: 'POST', path, body }, secret, now);
  return {
    path,
    init: { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } },
  };
}

describe('the relay internal API', () => {
  it('runs a signed call and answers its result', async () => {
    const { app } = relay();
    const { path, init } = await signedCall('authenticate', ['good']);
    const response = await app.request(path, init);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: principal });
  });

  it('answers null for a method without a result, so `result` is always present', async () => {
    const { app } = relay();
    const { path, init } = await signedCall('tracking.record', [{ kind: 'open' }]);
    expect(await (await app.request(path, init)).json()).toEqual({ result: null });
  });

  it('refuses unsigned, wrongly signed, stale and replayed calls with the same 401', async () => {
    const { app, warnings } = relay();
    const unsigned = await app.request('/internal/v1/rpc/authenticate', {
      method: 'POST',
      body: '{"args":["good"]}',
    });
    const wrong = await signedCall('authenticate', ['good'], `${SECRET}-other`);
    const stale = await signedCall('authenticate', ['good'], SECRET, () => Date.now() - 600_000);
    const fresh = await signedCall('authenticate', ['good']);
    expect((await app.request(fresh.path, fresh.init)).status).toBe(200);
    const statuses = [
      unsigned.status,
      (await app.request(wrong.path, wrong.init)).status,
      (await app.request(stale.path, stale.init)).status,
      (await app.request(fresh.path, fresh.init)).status,
    ];
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect(warnings).toEqual(['missing', 'bad_signature', 'stale', 'replayed']);
  });

  it('refuses a body changed after signing', async () => {
    const { app } = relay();
    const { path, init } = await signedCall('authenticate', ['good']);
    expect((await app.request(path, { ...init, body: '{"args":["evil"]}' })).status).toBe(401);
  });

  it('knows only the Backend methods of the protocol', async () => {
    const { app } = relay();
    for (const method of ['close', 'stores.messages', 'emails.constructor']) {
      const { path, init } = await signedCall(method, []);
      expect((await app.request(path, init)).status).toBe(404);
    }
  });

  it('refuses a malformed call body with 400', async () => {
    const { app } = relay();
    const path = '/internal/v1/rpc/authenticate';
    const body = '{"arguments":["good"]}';
    const headers = await signRelayRequest({ method: 'POST', path, body }, SECRET);
    expect((await app.request(path, { method: 'POST', body, headers })).status).toBe(400);
  });

  it('passes an ApiError through with its status and code, and hides other errors as 500', async () => {
    const { app } = relay();
    const conflict = await signedCall('emails.send', [principal, { subject: 'conflict' }, {}]);
    const response = await app.request(conflict.path, conflict.init);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'idempotency_conflict', message: 'Key reused.' },
    });
    const crash = await signedCall('emails.send', [principal, { subject: 'crash' }, {}]);
    const crashed = await app.request(crash.path, crash.init);
    expect(crashed.status).toBe(500);
    expect(JSON.stringify(await crashed.json())).not.toContain('boom');
  });

  it('serves /healthz and /readyz unsigned, for the orchestrator', async () => {
    const { app } = relay();
    expect((await app.request('/healthz')).status).toBe(200);
    expect(await (await app.request('/readyz')).json()).toEqual({
      status: 'ok',
      checks: { redis: { ok: true } },
    });
  });
});
