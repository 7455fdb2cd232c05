import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTarget } from './redis-config';

export type RedisClient = Redis | Cluster;

/**
 * `producer`: ingest and relay. Fails fast while Redis is away so the API
 * answers 503 at once instead of holding requests open (BullMQ production
 * guide: `enableOfflineQueue: false` for queues).
 * `worker`: waits for Redis forever; BullMQ requires `maxRetriesPerRequest: null`
 * for the blocking connections of workers.
 */
export type ConnectionRole = 'producer' | 'worker';

// After a failover the old master answers READONLY and a restarting node
// LOADING; reconnecting (2 = reconnect and resend) reaches the new master.
function reconnectOnError(error: Error): boolean | 1 | 2 {
  return /READONLY|LOADING/.test(error.message) ? 2 : false;
}

// The seed guide's strategy: back off 50 ms per attempt, capped at 2 s, and
// never give up — a failover takes several seconds.
export function retryStrategy(times: number): number {
  return Math.min(times * 50, 2000);
}

function roleOptions(role: ConnectionRole): RedisOptions {
  return role === 'producer'
    ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000, commandTimeout: 5_000 }
    : { maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 10_000 };
}

/**
 * The one Redis client factory. Every connection in the project comes from
 * here, so the house defaults of STYLE.md hold for ingest, relay and workers.
 */
export function createRedis(target: RedisTarget, role: ConnectionRole, name = `mailq-${role}`): RedisClient {
  const common: RedisOptions = {
    ...roleOptions(role),
    retryStrategy,
    reconnectOnError,
    connectionName: name,
  };
  const tls = target.tls ? { tls: target.tls.ca ? { ca: target.tls.ca } : {} } : {};
  if (target.kind === 'single') return new Redis(target.url, { ...common, ...tls });
  const options: ClusterOptions = {
    redisOptions: { ...common, ...(target.password ? { password: target.password } : {}), ...tls },
    // ElastiCache announces its nodes by host name and their certificates carry those names:
    // keep the names (no lookup to IPs), so TLS verifies each node against its own name.
    ...(target.tls ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: common.enableOfflineQueue ?? true,
    enableReadyCheck: true,
    // Reads stay on masters: a replica may lag behind a write just acknowledged.
    scaleReads: 'master',
    slotsRefreshTimeout: 2_000,
  };
  if (role === 'worker') options.maxRedirections = 64;
  return new Cluster(target.nodes, options);
}

/** `createRedis`, resolved once the client is ready (see waitForReady). */
export async function connectRedis(
  target: RedisTarget,
  role: ConnectionRole,
  timeoutMs?: number,
): Promise<RedisClient> {
  const client = createRedis(target, role);
  await waitForReady(client, timeoutMs);
  return client;
}

/** Resolves once the client is ready, or rejects after `timeoutMs` (a producer must not serve before). */
export async function waitForReady(client: RedisClient, timeoutMs = 15_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis was not ready within ${timeoutMs} ms (status ${client.status})`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}
