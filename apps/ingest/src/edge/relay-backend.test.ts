import { ApiError, type Backend } from '@mailq/contracts';
import { createRelayApp } from '@mailq/relay';
import { describe, expect, it } from 'vitest';
import { createRelayBackend } from './relay-backend';

const SECRET = 'relay-secret-for-unit-tests-0123456789';
const principal = { tenantId: 't1', keyId: 'k1' };

const backend = {
  authenticate: async (key: string) => (key === 'good' ? principal : null),
  readiness: async () => ({ ok: true, checks: { redis: { ok: true } } }),
  emails: {
    send: async (_p: unknown, email: { subject: string }) => {
      if (email.subject === 'conflict') throw new ApiError('idempotency_conflict', 'Key reused.');
      if (email.subject === 'full') throw new ApiError('storage_unavailable', 'Redis is out of memory.');
      return { id: 'msg_1' };
    },
    get: async () => null,
  },
} as unknown as Backend;

const relayApp = createRelayApp({
  backend,
  secret: SECRET,
  claimNonce: async () => true,
  logger: { error: () => undefined, warn: () => undefined },
});

function client(fetchImpl: typeof fetch, secret = SECRET) {
  return createRelayBackend({ url: 'http://relay.test/', secret, fetch: fetchImpl, timeoutMs: 500 });
}
const viaRelay: typeof fetch = async (input, init) => relayApp.request(String(input), init);
const email = (subject: string) => ({ subject }) as never;

describe('the Backend over signed HTTP', () => {
  it('round-trips results, including null', async () => {
    const remote = client(viaRelay);
    expect(await remote.authenticate('good')).toEqual(principal);
    expect(await remote.authenticate('bad')).toBeNull();
    expect(await remote.emails.send(principal, email('hi'), {})).toEqual({ id: 'msg_1' });
    expect(await remote.emails.get(principal, 'nope')).toBeNull();
  });

  it('rethrows the relay’s ApiError with its code', async () => {
    const remote = client(viaRelay);
    await expect(remote.emails.send(principal, email('conflict'), {})).rejects.toMatchObject({
      code: 'idempotency_conflict',
      message: 'Key reused.',
    });
    await expect(remote.emails.send(principal, email('full'), {})).rejects.toMatchObject({
      code: 'storage_unavailable',
    });
  });

  it('turns an unreachable, slow, failing or refusing relay into storage_unavailable', async () => {
    const unreachable: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    const failing: typeof fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    const succeedingWithGarbage: typeof fetch = async () => new Response('{"ok":true}', { status: 200 });
    for (const fetchImpl of [unreachable, slow, failing, succeedingWithGarbage]) {
      await expect(client(fetchImpl).emails.send(principal, email('hi'), {})).rejects.toMatchObject({
        code: 'storage_unavailable',
      });
    }
    // A secret the relay does not share is the platform's fault, not the caller's key.
    await expect(client(viaRelay, `${SECRET}-other`).authenticate('good')).rejects.toMatchObject({
      code: 'storage_unavailable',
    });
  });

  it('reports readiness as not ready when the relay cannot be asked', async () => {
    expect(await client(viaRelay).readiness()).toEqual({ ok: true, checks: { redis: { ok: true } } });
    const down = await client(async () => new Response('', { status: 503 })).readiness();
    expect(down.ok).toBe(false);
    expect(down.checks.relay?.ok).toBe(false);
  });
});
