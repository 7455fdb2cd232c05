import type { Queue } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import type { DayCounts } from '../analytics-store';
import { AnalyticsBatcher } from './analytics-batcher';

/** A queue that records what was added, failing the first `failures` calls. */
function fakeQueue(failures = 0) {
  const jobs: { name: string; counts: DayCounts[]; jobId: string }[] = [];
  let calls = 0;
  const queue = {
    add: vi.fn((name: string, data: { counts: DayCounts[] }, opts: { jobId: string }) => {
      calls++;
      if (calls <= failures) return Promise.reject(new Error('Connection is closed.'));
      jobs.push({ name, counts: data.counts, jobId: opts.jobId });
      return Promise.resolve({});
    }),
  };
  return { queue: queue as unknown as Queue, jobs };
}

const at = new Date('2026-11-26T13:45:00Z');

describe('AnalyticsBatcher', () => {
  it('adds up a window of events into one job, per tenant and day', async () => {
    const { queue, jobs } = fakeQueue();
    const batcher = new AnalyticsBatcher(queue, 60_000);
    batcher.add({ tenantId: 't1', metric: 'delivered', at, domain: 'example.com' });
    batcher.add({ tenantId: 't1', metric: 'delivered', at, domain: 'example.com' });
    batcher.add({ tenantId: 't1', metric: 'sent', at, tags: [{ name: 'kind', value: 'welcome' }] });
    batcher.add({ tenantId: 't2', metric: 'bounced', at: new Date('2026-11-25T23:00:00Z') });
    expect(jobs).toHaveLength(0);
    await batcher.close();

    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.name).toBe('analytics');
    expect(jobs[0]?.jobId).toMatch(/^cnt_[0-9a-f-]{36}$/);
    expect(jobs[0]?.counts).toEqual([
      {
        tenantId: 't1',
        day: '2026-11-26',
        fields: {
          'all|delivered': 2,
          'h13|delivered': 2,
          'dom:example.com|delivered': 2,
          'all|sent': 1,
          'h13|sent': 1,
          'tag:kind=welcome|sent': 1,
        },
      },
      { tenantId: 't2', day: '2026-11-25', fields: { 'all|bounced': 1, 'h23|bounced': 1 } },
    ]);
  });

  it('sends each window on its own after the flush period', async () => {
    vi.useFakeTimers();
    try {
      const { queue, jobs } = fakeQueue();
      const batcher = new AnalyticsBatcher(queue, 500);
      batcher.add({ tenantId: 't1', metric: 'sent', at });
      await vi.advanceTimersByTimeAsync(499);
      expect(jobs).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(jobs).toHaveLength(1);
      batcher.add({ tenantId: 't1', metric: 'sent', at });
      await vi.advanceTimersByTimeAsync(500);
      expect(jobs.map((j) => j.counts[0]?.fields['all|sent'])).toEqual([1, 1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the counts for the next window when the job cannot be written', async () => {
    const { queue, jobs } = fakeQueue(1);
    const batcher = new AnalyticsBatcher(queue, 60_000);
    batcher.add({ tenantId: 't1', metric: 'delivered', at });
    await batcher.flush();
    expect(jobs).toHaveLength(0);
    batcher.add({ tenantId: 't1', metric: 'delivered', at });
    await batcher.close();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.counts[0]?.fields).toEqual({ 'all|delivered': 2, 'h13|delivered': 2 });
  });

  it('sends a busy window early, before it grows past the job size limit', async () => {
    const { queue, jobs } = fakeQueue();
    const batcher = new AnalyticsBatcher(queue, 60_000);
    // Each event with its own tag adds one new counter (all and the hour are shared): 2,000 at the 1,998th.
    for (let i = 0; i < 2_100; i++)
      batcher.add({ tenantId: 't1', metric: 'sent', at, tags: [{ name: 'n', value: String(i) }] });
    await vi.waitFor(() => expect(jobs).toHaveLength(1));
    await batcher.close();
    expect(jobs).toHaveLength(2);
    const total = jobs.reduce((sum, j) => sum + (j.counts[0]?.fields['all|sent'] ?? 0), 0);
    expect(total).toBe(2_100);
  });
});
