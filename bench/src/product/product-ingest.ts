import { startNodeIngest } from '@mailq/ingest';
import type { RedisTarget } from '@mailq/queues';
import { createLogger } from '@mailq/telemetry-node';
import type { Role } from '../support/role';
import { BENCH_NAMESPACE } from './namespace';

export interface ProductIngestOptions {
  redis: RedisTarget;
  /** QUEUE_PARTITIONS (default 1, as shipped). */
  partitions?: number;
}

export interface ServerInfo {
  url: string;
}

/**
 * The product's Node ingest exactly as `mailq serve` runs it: Hono app, relay
 * in-process, DURABILITY=async (the default). The only relaxation is the one
 * `mailq dev` and the e2e tests make: senders need no verified domain, since
 * the bench has no DNS to verify one with.
 */
export async function start(options: ProductIngestOptions): Promise<Role<ServerInfo>> {
  const ingest = await startNodeIngest({
    redis: options.redis,
    port: 0,
    host: '127.0.0.1',
    logger: createLogger('bench-ingest', { level: 'silent' }),
    namespace: BENCH_NAMESPACE,
    relay: { requireVerifiedDomain: false, partitions: options.partitions ?? 1 },
  });
  return { info: { url: ingest.server.url }, methods: {}, close: () => ingest.close() };
}
