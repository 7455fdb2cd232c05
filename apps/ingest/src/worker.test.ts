import { describe, expect, it } from 'vitest';
import worker from './worker';

// The Workers entry runs on Node here too (it imports nothing Node-only); the
// edge suite in tests/ runs it in workerd.
const bindings = {
  RELAY_URL: 'http://127.0.0.1:9',
  RELAY_SECRET: 'relay-secret-for-unit-tests-0123456789',
};

describe('the Workers entry', () => {
  it('answers liveness without calling the relay', async () => {
    const response = await worker.fetch(new Request('http://edge.test/healthz'), { ...bindings }, {});
    expect(response.status).toBe(200);
  });

  it('answers 503 when the relay is unreachable, never a 2xx', async () => {
    const response = await worker.fetch(
      new Request('http://edge.test/v1/emails', {
        method: 'POST',
        headers: { authorization: 'Bearer mq_key', 'content-type': 'application/json' },
        body: '{}',
      }),
      { ...bindings, RELAY_TIMEOUT_MS: '500' },
      {},
    );
    expect(response.status).toBe(503);
  });

  it.each([
    ['RELAY_SECRET', { RELAY_URL: bindings.RELAY_URL, RELAY_SECRET: 'short' }],
    ['RELAY_URL', { RELAY_SECRET: bindings.RELAY_SECRET }],
  ])('answers 500 naming %s when the bindings are invalid', async (name, invalid) => {
    const response = await worker.fetch(new Request('http://edge.test/healthz'), invalid, {});
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(body.error.message).toContain(name);
  });
});
