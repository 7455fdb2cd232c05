import { ConfigError } from '@mailq/contracts';
import { redisTargetFromEnv, type RedisEnv, type RedisTarget } from '@mailq/queues';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** File where `mailq dev` records the URL of the redis-server it started. */
export const DEV_REDIS_URL_FILE = 'redis-url';

/**
 * The Redis to use: REDIS_URL / REDIS_CLUSTER from the environment, else (for
 * admin commands run beside `mailq dev`) the dev server's URL under `.data/`.
 */
export function resolveRedisTarget(env: RedisEnv, dataDir: string, required: boolean): RedisTarget | null {
  const { target, error } = redisTargetFromEnv(env);
  if (error) throw new ConfigError(`Invalid configuration: ${error}`);
  if (target) return target;
  const devFile = join(dataDir, DEV_REDIS_URL_FILE);
  if (existsSync(devFile)) return { kind: 'single', url: readFileSync(devFile, 'utf8').trim() };
  if (required) {
    throw new ConfigError(
      'Invalid configuration: REDIS_URL (or REDIS_CLUSTER=true with REDIS_CLUSTER_NODES) is required',
    );
  }
  return null;
}
