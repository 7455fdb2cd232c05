import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff';

const policy = { baseDelayMs: 1_000, maxDelayMs: 10_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt within [50%, 100%) of the exponential delay', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 0.999)).toBe(1_000); // 999.5 rounds up
    expect(retryDelayMs(3, policy, () => 0)).toBe(2_000);
  });

  it('caps at the maximum delay', () => {
    expect(retryDelayMs(20, policy, () => 0.999)).toBe(9_995);
    expect(retryDelayMs(20, policy, () => 0)).toBe(5_000);
  });
});
