import { parseConfig } from '@mailq/contracts';
import {
  EmailQueues,
  QUEUE_KINDS,
  RedisEnv,
  createQueue,
  createRedis,
  waitForReady,
  type RedisClient,
} from '@mailq/queues';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { resolveRedisTarget } from '../redis-target';

type Out = (line: string) => void;

/** Every queue of the deployment: the email partitions and the other four. */
function allQueues(redis: RedisClient, namespace: string, partitions: number): Queue[] {
  return [
    ...new EmailQueues(redis, namespace, partitions).queues,
    ...QUEUE_KINDS.filter((k) => k !== 'email').map((kind) => createQueue(kind, redis, namespace)),
  ];
}

/**
 * `mailq migrate prepare` — before moving a single Redis to a cluster: pause
 * every queue (workers take no new job; ingest still accepts), wait for jobs
 * in flight to finish with progress shown, report what is left, and take a
 * BGSAVE backup. `mailq migrate resume` un-pauses. Every key is hash-tagged,
 * so `redis-cli --cluster import` can copy the data into the cluster as is.
 */
export async function migrateCommand(
  env: Record<string, string | undefined>,
  action: 'prepare' | 'resume',
  out: Out,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<number> {
  const config = parseConfig(RedisEnv, env);
  const target = resolveRedisTarget(config, '.data', true);
  if (!target) throw new Error('no Redis configured');
  if (action === 'prepare' && target.kind !== 'single') {
    throw new Error('migrate prepare works on the single Redis being left: set REDIS_URL');
  }
  const redis = createRedis(target, 'worker', 'mailq-migrate');
  await waitForReady(redis);
  const queues = allQueues(redis, config.MAILQ_NAMESPACE, config.QUEUE_PARTITIONS);
  try {
    if (action === 'resume') {
      await Promise.all(queues.map((q) => q.resume()));
      out(`Resumed ${queues.length} queue(s).`);
      return 0;
    }
    await Promise.all(queues.map((q) => q.pause()));
    out(`Paused ${queues.length} queue(s): workers finish what they hold and take nothing new.`);
    const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
    for (;;) {
      const active = await sum(queues, 'active');
      if (active === 0) break;
      if (Date.now() > deadline) {
        out(
          `Still ${active} job(s) in flight at the deadline; nothing was backed up. Resume with: mailq migrate resume`,
        );
        return 1;
      }
      out(`Waiting for ${active} job(s) in flight…`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
    }
    const left = {
      waiting: await sum(queues, 'waiting'),
      delayed: await sum(queues, 'delayed'),
      failed: await sum(queues, 'failed'),
    };
    out(
      `In flight: 0. Left in the queues: ${left.waiting} waiting, ${left.delayed} delayed, ${left.failed} failed.`,
    );
    if (left.waiting + left.delayed > 0) {
      out(
        'Not empty: these jobs travel with the data (redis-cli --cluster import), or resume and let workers drain first.',
      );
    }
    if (!(redis instanceof Redis)) throw new Error('migrate needs a single Redis connection');
    const file = await backup(redis);
    out(`Backup written: ${file}`);
    out(
      'Next: import into the cluster (redis-cli --cluster import <cluster-node> --cluster-from <this redis> --cluster-copy),',
    );
    out(
      '      start ingest and workers with REDIS_CLUSTER=true, then: mailq migrate resume (against the cluster if paused there).',
    );
    return 0;
  } finally {
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  }
}

async function sum(queues: Queue[], state: 'active' | 'waiting' | 'delayed' | 'failed'): Promise<number> {
  const counts = await Promise.all(queues.map((q) => q.getJobCountByTypes(state)));
  return counts.reduce((a, b) => a + b, 0);
}

// BGSAVE, then wait until LASTSAVE moves: the RDB file is complete on disk.
async function backup(redis: Redis): Promise<string> {
  const before = await redis.lastsave();
  await redis.bgsave();
  while ((await redis.lastsave()) === before) await new Promise((resolve) => setTimeout(resolve, 200));
  const [, dir] = (await redis.config('GET', 'dir')) as string[];
  const [, file] = (await redis.config('GET', 'dbfilename')) as string[];
  return `${dir}/${file}`;
}
