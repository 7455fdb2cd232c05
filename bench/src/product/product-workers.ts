import type { RedisTarget } from '@mailq/queues';
import { createLogger } from '@mailq/telemetry-node';
import { loadWorkerConfig, startWorkers } from '@mailq/worker';
import type { Role } from '../support/role';
import { BENCH_NAMESPACE } from './namespace';

export interface ProductWorkersOptions {
  redis: RedisTarget;
  smtpUrl: string;
  /** Extra worker variables, as strings like the environment. */
  env?: Record<string, string>;
}

/**
 * Worker settings of every product run. All defaults as shipped (EMAIL_CONCURRENCY
 * 20, SMTP_POOL_SIZE 5, JOB_LOCK_MS 30 s) except the per-destination limit:
 * the shipped default (20 msg/s for an unknown domain) protects real receivers'
 * reputations and would cap every run at 20 msg/s; a deployment relaying
 * through its own smarthost raises it the same way.
 */
export const BENCH_WORKER_ENV: Record<string, string> = {
  DELIVERY_MODE: 'smtp',
  DESTINATION_LIMITS: '{"*":{"maxConnections":100,"messagesPerSecond":1000000}}',
  LOG_LEVEL: 'silent',
};

/** The product's worker fleet (`mailq worker`): one BullMQ worker per queue, delivering to the sink. */
export async function start(options: ProductWorkersOptions): Promise<Role> {
  const config = loadWorkerConfig({ ...BENCH_WORKER_ENV, SMTP_URL: options.smtpUrl, ...options.env });
  const fleet = await startWorkers({
    redis: options.redis,
    namespace: BENCH_NAMESPACE,
    logger: createLogger('bench-worker', { level: 'silent' }),
    config,
  });
  return {
    info: {},
    methods: {
      /** Stops fetching jobs (waits for running ones), so a backlog can be built under warm workers. */
      pause: async () => {
        await Promise.all(fleet.workers.map((worker) => worker.pause()));
      },
      resume: () => fleet.workers.forEach((worker) => worker.resume()),
    },
    close: () => fleet.close(5_000),
  };
}
