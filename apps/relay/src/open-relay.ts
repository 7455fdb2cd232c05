import {
  createRedis,
  resolvePartitionLayout,
  waitForReady,
  type PartitionLayout,
  type RedisClient,
  type RedisTarget,
} from '@mailq/queues';
import { checkDurability } from './durability';
import { RedisBackend, type RedisBackendOptions } from './redis-backend';

/** The relay's settings: the backend's, with QUEUE_PARTITIONS in place of the layout openRelay resolves from it. */
export type RelaySettings = Omit<RedisBackendOptions, 'redis' | 'namespace' | 'layout'> & {
  /** QUEUE_PARTITIONS (default 1): partitions of the email queue taking new mail; workers must use the same. */
  partitions?: number | undefined;
};

export interface OpenRelayOptions {
  redis: RedisTarget;
  namespace?: string;
  /** Relay settings (verified-domain policy, durability, DNS port, clock). */
  relay?: RelaySettings;
  logger: { warn(fields: Record<string, unknown>, message: string): void };
  /** Connection name shown by CLIENT LIST. */
  connectionName: string;
}

export interface OpenRelay {
  redis: RedisClient;
  backend: RedisBackend;
  /** The email queue's partitions the backend writes to, for the admin's queues. */
  layout: PartitionLayout;
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
  const { partitions = 1, ...settings } = options.relay ?? {};
  const layout = await resolvePartitionLayout(redis, options.namespace, partitions);
  const backend = new RedisBackend({
    redis,
    ...settings,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    layout,
  });
  return {
    redis,
    backend,
    layout,
    async close() {
      await backend.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
