import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { MAX_PARTITIONS } from './partition-layout';

/** Where Redis is: one instance, or a cluster reached through seed nodes. */
export type RedisTarget =
  | { kind: 'single'; url: string; tls?: RedisTls }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; password?: string; tls?: RedisTls };

/** TLS to Redis (ElastiCache in-transit encryption); `ca` (PEM) for a private CA, else the system's. */
export interface RedisTls {
  ca?: string;
}

const HostPort = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port'),
  v.transform((s) => {
    const [host = '', port = '0'] = s.split(':');
    return { host, port: Number(port) };
  }),
);

/** The Redis part of every app's environment (DESIGN §2). */
export const RedisEnv = v.object({
  /** Single Redis, `redis://[:password@]host:port`. */
  REDIS_URL: v.optional(
    v.pipe(v.string(), v.regex(/^rediss?:\/\/.+/, 'must be redis://[:password@]host:port')),
  ),
  /** `true` to use Redis Cluster through REDIS_CLUSTER_NODES. */
  REDIS_CLUSTER: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  /** Comma-separated seed nodes, `host:port,host:port`. */
  REDIS_CLUSTER_NODES: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((part) => part.trim())),
      v.array(HostPort),
      v.minLength(1),
    ),
  ),
  /** Password for every cluster node. */
  REDIS_PASSWORD: v.optional(v.string()),
  /** `true` to speak TLS to Redis (ElastiCache with in-transit encryption); `rediss://` URLs imply it. */
  REDIS_TLS: v.optional(v.picklist(['true', 'false'], 'must be true or false'), 'false'),
  /** PEM file of the CA that signed Redis's certificate, when it is not a public one. */
  REDIS_TLS_CA_FILE: v.optional(v.pipe(v.string(), v.minLength(1))),
  /**
   * How many hash-tagged partitions of the email queue take new mail (default 1); producers and
   * workers must agree. Their names are stored in Redis (`resolvePartitionLayout`) and workers
   * drain every stored partition, so lowering it strands nothing.
   */
  QUEUE_PARTITIONS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'must be at least 1'),
      v.maxValue(MAX_PARTITIONS, `must be at most ${MAX_PARTITIONS}`),
    ),
    '1',
  ),
  /** Prefix of every key and hash tag of the queues (default mail-queue); lets deployments share a Redis. */
  MAILQ_NAMESPACE: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,50}$/, 'must be 1-50 of A-Z a-z 0-9 _ -')),
    'mail-queue',
  ),
});
export type RedisEnv = v.InferOutput<typeof RedisEnv>;

/**
 * Picks the target from parsed env. Returns a message naming the variable when
 * the combination is incomplete, or null target when no Redis is configured
 * (the dev command then starts its own).
 */
export function redisTargetFromEnv(env: RedisEnv): { target: RedisTarget | null; error?: string } {
  let tls: { tls?: RedisTls } = {};
  if (env.REDIS_TLS === 'true' || env.REDIS_TLS_CA_FILE) {
    try {
      tls = { tls: env.REDIS_TLS_CA_FILE ? { ca: readFileSync(env.REDIS_TLS_CA_FILE, 'utf8') } : {} };
    } catch (error) {
      return { target: null, error: `REDIS_TLS_CA_FILE cannot be read (${(error as Error).message})` };
    }
  }
  if (env.REDIS_CLUSTER === 'true') {
    if (!env.REDIS_CLUSTER_NODES) {
      return { target: null, error: 'REDIS_CLUSTER_NODES is required when REDIS_CLUSTER=true' };
    }
    return {
      target: {
        kind: 'cluster',
        nodes: env.REDIS_CLUSTER_NODES,
        ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}),
        ...tls,
      },
    };
  }
  return { target: env.REDIS_URL ? { kind: 'single', url: env.REDIS_URL, ...tls } : null };
}
