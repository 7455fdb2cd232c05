import { parseConfig } from '@mailq/contracts';
import { RedisEnv, createRedis, resolvePartitionLayout, waitForReady } from '@mailq/queues';
import { QueueAdmin } from '@mailq/relay';
import { Stores } from '@mailq/store';
import { Redis } from 'ioredis';
import { resolveRedisTarget } from '../redis-target';

type Out = (line: string) => void;

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
  const namespace = config.MAILQ_NAMESPACE;
  const layout = await resolvePartitionLayout(redis, namespace, config.QUEUE_PARTITIONS);
  const admin = new QueueAdmin(redis, new Stores(redis, namespace), namespace, layout);
  try {
    if (action === 'resume') {
      out(`Resumed ${await admin.resume()} queue(s).`);
      return 0;
    }
    out(`Paused ${admin.entries.length} queue(s): workers finish what they hold and take nothing new.`);
    const left = await admin.drain({
      timeoutMs: options.timeoutMs ?? 10 * 60_000,
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      onProgress: (inFlight) => out(`Waiting for ${inFlight} job(s) in flight…`),
    });
    if (!left.drained) {
      out(
        `Still ${left.in_flight} job(s) in flight at the deadline; nothing was backed up. Resume with: mailq migrate resume`,
      );
      return 1;
    }
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
    await admin.close();
    redis.disconnect();
  }
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
