import { waitUntil } from '@mailq/testing';
import { describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform();

describe('Redis outage', () => {
  it('answers 503 (never 2xx) while Redis is down, and delivers every accepted message once it is back', async () => {
    // The receiver defers everything, so accepted messages are still queued when Redis goes away.
    env.sink.replyWith(({ stage }) =>
      stage === 'data' ? { code: 451, message: '4.4.1 Not now' } : undefined,
    );
    const accepted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await env.platform.send(sampleEmail({ subject: `before outage ${i}` }));
      expect(response.status).toBe(202);
      accepted.push(((await response.json()) as { id: string }).id);
    }

    await env.redis.stop();
    const during = await env.platform.send(sampleEmail({ subject: 'during outage' }));
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect(((await during.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    const ready = await fetch(`${env.platform.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${env.platform.url}/healthz`)).status).toBe(200);

    await env.redis.restart();
    env.sink.replyWith(undefined);
    await waitUntil(async () => (await fetch(`${env.platform.url}/readyz`)).status === 200, {
      message: 'ingest never became ready again',
    });
    const after = await env.platform.send(sampleEmail({ subject: 'after outage' }));
    expect(after.status).toBe(202);

    const subjects = (await env.sink.waitFor(6, 30_000)).map((m) => m.parsed.subject);
    for (let i = 0; i < 5; i++) expect(subjects).toContain(`before outage ${i}`);
    expect(subjects).toContain('after outage');
    expect(subjects).not.toContain('during outage');
    for (const id of accepted) {
      await waitUntil(async () => {
        const email = (await (await env.platform.getEmail(id)).json()) as { status: string };
        return email.status === 'delivered';
      });
    }
  });
});
