import { createQueue } from '@mailq/queues';
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const env = useTestPlatform({ withWorkers: false });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the relay coalesces concurrent sends', () => {
  it('writes a burst of concurrent sends in fewer queue round trips, and every 202 is stored', async () => {
    const addBulk = vi.spyOn(Queue.prototype, 'addBulk');
    const concurrent = 40;
    const responses = await Promise.all(
      Array.from({ length: concurrent }, (_, i) => env.platform.send(sampleEmail({ subject: `burst ${i}` }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(concurrent).fill(202));
    const jobsPerCall = addBulk.mock.calls.map(([jobs]) => jobs.length);
    console.log(
      `${concurrent} concurrent sends → ${addBulk.mock.calls.length} addBulk call(s): ${jobsPerCall.join(' ')}`,
    );
    expect(jobsPerCall.reduce((a, b) => a + b, 0)).toBe(concurrent);
    expect(addBulk.mock.calls.length).toBeLessThan(concurrent);

    const queue = createQueue('email', env.platform.redis, env.platform.namespace);
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
    const jobs = await Promise.all(ids.map((id) => queue.getJob(id)));
    expect(jobs.every((job) => job !== undefined && job !== null)).toBe(true);
    await queue.close();
  });
});
