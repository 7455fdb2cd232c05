import { describe, expect, it } from 'vitest';
import { overallStatus } from './message-status';

describe('overallStatus', () => {
  it('reports work under way before outcomes', () => {
    expect(overallStatus([{ status: 'delivered' }, { status: 'deferred' }])).toBe('deferred');
    expect(overallStatus([{ status: 'sending' }, { status: 'queued' }])).toBe('sending');
  });

  it('reports delivered when any recipient got it and the rest are final', () => {
    expect(overallStatus([{ status: 'delivered' }, { status: 'failed' }])).toBe('delivered');
    expect(overallStatus([{ status: 'failed' }, { status: 'failed' }])).toBe('failed');
  });
});
