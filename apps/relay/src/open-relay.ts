import { createRedis, waitForReady, type RedisClient, type RedisTarget } from '@mailq/queues';
import { checkDurability } from './durability';
import { RedisBackend, type RedisBackendOptions } from './redis-backend';

export interface OpenRelayOptions {
  redis: RedisTarget;
  namespace?: string;
  /** Relay settings (verified-domain policy, durability, DNS port, clock). */
  relay?: Omit<RedisBackendOptions, 'redis' | 'namespace'>;
  logger: { warn(fields: Record<string, unknown>, message: string): void };
  /** Connection name shown by CLIENT LIST. */
  connectionName: string;
}

export interface OpenRelay {
  redis: RedisClient;
  backend: RedisBackend;
  close(): Promise<void>;
}

/**
 * The relay on a fail-fast producer connection, once Redis answers and the
 * chosen DURABILITY is possible there. Both the in-process relay of
 * `mailq serve` and the `mailq relay` service start here, so neither ever
 * answers while unable to store.
 */
export async function openRelay(options: OpenRelayOptions): Promise<OpenRelay> {
  const redis = createRedis(options.redis, 'producer', options.connectionName);
  redis.on('error', (error: Error) => options.logger.warn({ err: error.message }, 'redis connection error'));
  await waitForReady(redis, 30_000);
  await checkDurability(redis, options.relay?.durability ?? 'async');
  const backend = new RedisBackend({
    redis,
    ...options.relay,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  return {
    redis,
    backend,
    async close() {
      await backend.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
