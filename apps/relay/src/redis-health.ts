import type { Readiness } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import { Cluster } from 'ioredis';

/**
 * Readiness of Redis as `/readyz` reports it: the server answers, and on a
 * cluster `cluster_state:ok` with every slot assigned (the seed's health check).
 */
export async function checkRedis(redis: RedisClient): Promise<Readiness> {
  try {
    if (redis instanceof Cluster) {
      const info = await redis.cluster('INFO');
      const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
      const slots = /cluster_slots_ok:(\d+)/.exec(info)?.[1] ?? '0';
      const ok = state === 'ok' && slots === '16384';
      return { ok, checks: { redis: { ok, detail: `cluster_state:${state} slots_ok:${slots}` } } };
    }
    await redis.ping();
    return { ok: true, checks: { redis: { ok: true } } };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, checks: { redis: { ok: false, detail } } };
  }
}
