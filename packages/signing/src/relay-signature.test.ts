import { describe, expect, it } from 'vitest';
import { signRelayRequest, verifyRelayRequest } from './relay-signature';

const SECRET = 'relay-secret-0123456789abcdef-0123456789';
const T0 = Date.parse('2026-11-26T12:00:00Z');

async function signed(overrides: { method?: string; path?: string; body?: string; at?: number } = {}) {
  const request = { method: 'POST', path: '/internal/v1/rpc/emails.send', body: '{"args":[]}' };
  const headers = await signRelayRequest(request, SECRET, () => T0);
  return {
    method: overrides.method ?? request.method,
    path: overrides.path ?? request.path,
    body: overrides.body ?? request.body,
    header: (name: string) => headers[name],
    headers,
  };
}

describe('relay request signatures', () => {
  it('verifies a request signed with the same secret, returning its nonce', async () => {
    const request = await signed();
    const result = await verifyRelayRequest(request, SECRET, () => T0 + 1_000);
    expect(result).toEqual({ ok: true, nonce: request.headers['x-mailq-nonce'], timestamp: T0 / 1000 });
  });

  it('gives every request its own nonce', async () => {
    const [a, b] = await Promise.all([signed(), signed()]);
    expect(a.headers['x-mailq-nonce']).not.toBe(b.headers['x-mailq-nonce']);
  });

  it.each([
    ['the body', { body: '{"args":[1]}' }],
    ['the path', { path: '/internal/v1/rpc/emails.cancel' }],
    ['the method', { method: 'PUT' }],
  ])('refuses a request whose %s was changed', async (_, change) => {
    const request = await signed(change);
    expect(await verifyRelayRequest(request, SECRET, () => T0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a request signed with another secret', async () => {
    const request = await signed();
    const result = await verifyRelayRequest(request, `${SECRET}-other`, () => T0);
    expect(result).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses stale and future timestamps beyond five minutes', async () => {
    const request = await signed();
    expect(await verifyRelayRequest(request, SECRET, () => T0 + 301_000)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(await verifyRelayRequest(request, SECRET, () => T0 - 301_000)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect((await verifyRelayRequest(request, SECRET, () => T0 + 299_000)).ok).toBe(true);
  });

  it('refuses missing and malformed headers', async () => {
    const request = await signed();
    const without = {
      ...request,
      header: (name: string) => (name === 'x-mailq-nonce' ? undefined : request.header(name)),
    };
    expect(await verifyRelayRequest(without, SECRET, () => T0)).toEqual({ ok: false, reason: 'missing' });
    const badMac = {
      ...request,
      header: (name: string) => (name === 'x-mailq-signature' ? 'v1=%%%' : request.header(name)),
    };
    expect(await verifyRelayRequest(badMac, SECRET, () => T0)).toEqual({ ok: false, reason: 'malformed' });
    const badTime = {
      ...request,
      header: (name: string) => (name === 'x-mailq-timestamp' ? '12.5' : request.header(name)),
    };
    expect(await verifyRelayRequest(badTime, SECRET, () => T0)).toEqual({ ok: false, reason: 'malformed' });
  });
});
