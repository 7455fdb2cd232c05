import { useRedisServer } from '@mailq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmailQueues, partitionOf } from './email-partitions';
import { connectRedis, type RedisClient } from './redis-connection';

let redis: RedisClient;

const redisServer = useRedisServer((url) => connectRedis({ kind: 'single', url }, 'producer'));

beforeAll(() => {
  redis = redisServer.client;
});

describe('EmailQueues.jobOf', () => {
  it('finds a job queued before QUEUE_PARTITIONS shrank, in the partition its old count chose', async () => {
    const prefixes = ['{jobof}', '{jobof-p1}', '{jobof-p2}'];
    const before = new EmailQueues(redis, 'jobof', { prefixes, partitions: 3 });
    // An id that three partitions put outside partition 0, where one partition would look first.
    const id = Array.from({ length: 50 }, (_, i) => `msg-${i}`).find((i) => partitionOf(i, 3) !== 0) ?? '';
    await before.of(id).add('email', { queued: 'before the change' }, { jobId: id });

    const after = new EmailQueues(redis, 'jobof', { prefixes, partitions: 1 });
    try {
      expect(await after.of(id).getJob(id)).toBeUndefined();
      const job = await after.jobOf(id);
      expect(job?.id).toBe(id);
      expect(job?.queueQualifiedName).toBe(`${prefixes[partitionOf(id, 3)]}:email`);
      expect(await after.jobOf('no-such-message')).toBeUndefined();
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });
});
