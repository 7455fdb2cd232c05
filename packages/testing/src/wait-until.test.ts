import { describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './index';

describe('waitUntil', () => {
  it('resolves with the first value that is not undefined/false', async () => {
    let calls = 0;
    const value = await waitUntil(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('times out with the given message and keeps the last error as cause', async () => {
    const failing = waitUntil(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 100, intervalMs: 10, message: 'service never came up' },
    );
    await expect(failing).rejects.toThrow('service never came up (last error: connection refused)');
  });

  it('does not let a hung attempt outlive the deadline', async () => {
    const hung = waitUntil(() => new Promise<false>(() => undefined), { timeoutMs: 100 });
    await expect(hung).rejects.toThrow(/not met within 100 ms/);
  });
});

describe('freePort', () => {
  it('returns distinct usable ports', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(a).not.toBe(b);
  });
});
