import {
  QUEUES,
  SMTP_RETRY_BACKOFF,
  createRedis,
  queuePrefix,
  queueTelemetry,
  type QueueKind,
  type RedisTarget,
} from '@mailq/queues';
import { Stores } from '@mailq/store';
import type { Logger } from '@mailq/telemetry-node';
import { Worker, type Job } from 'bullmq';
import type { WorkerEnv } from './config';
import { analyticsProcessor } from './processors/analytics.processor';
import { emailProcessor } from './processors/email.processor';
import { pendingProcessor } from './processors/pending.processor';
import { settleFailedEmail } from './processors/settle-failed-email';
import { retryDelayMs } from './retry-backoff';
import { createSmtpTransport } from './smtp-transport';
import { withTimeout } from './with-timeout';

export interface WorkerFleetOptions {
  redis: RedisTarget;
  config: Pick<
    WorkerEnv,
    'SMTP_URL' | 'EMAIL_CONCURRENCY' | 'SMTP_POOL_SIZE' | 'RETRY_BASE_DELAY_MS' | 'RETRY_MAX_DELAY_MS'
  >;
  logger: Logger;
  namespace?: string;
}

export interface WorkerFleet {
  workers: Worker[];
  /** Stops taking jobs and waits for running ones up to `timeoutMs`, then forces close (jobs return via stall recovery). */
  close(timeoutMs: number): Promise<void>;
}

/** Starts one BullMQ worker per queue of the catalog, sharing one worker-role Redis connection. */
export async function startWorkers(options: WorkerFleetOptions): Promise<WorkerFleet> {
  const { config, logger } = options;
  if (!config.SMTP_URL) throw new Error('SMTP_URL is required to deliver email');
  const connection = createRedis(options.redis, 'worker', 'mailq-worker');
  const stores = new Stores(connection, options.namespace);
  const transport = createSmtpTransport({ url: config.SMTP_URL, poolSize: config.SMTP_POOL_SIZE });
  const retryPolicy = { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS };

  const processors: Record<QueueKind, (job: Job) => Promise<void>> = {
    email: emailProcessor({ messages: stores.messages, transport }),
    analytics: analyticsProcessor(stores.analytics),
    webhook: pendingProcessor('webhook'),
    bounce: pendingProcessor('bounce'),
    tracking: pendingProcessor('tracking'),
  };

  // Only once BullMQ has moved the job to the failed set is the failure final.
  const settleIfFinal = async (job: Job, error: Error) => {
    try {
      if ((await job.getState()) === 'failed')
        await settleFailedEmail(stores.messages, job.id as string, error.message, new Date());
    } catch (settleError) {
      logger.error({ jobId: job.id, err: settleError }, 'could not record the final failure');
    }
  };

  const workers = (Object.keys(processors) as QueueKind[]).map((kind) => {
    const worker = new Worker(QUEUES[kind].name, withTimeout(QUEUES[kind].timeoutMs, processors[kind]), {
      connection,
      prefix: queuePrefix(options.namespace),
      telemetry: queueTelemetry,
      concurrency: kind === 'email' ? config.EMAIL_CONCURRENCY : 10,
      // A job whose lock is not renewed for 30 s (worker died or its event loop
      // stalled) goes back to wait; after 2 such stalls it fails visibly rather
      // than looping forever on a message that crashes workers.
      lockDuration: 30_000,
      stalledInterval: 30_000,
      maxStalledCount: 2,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === SMTP_RETRY_BACKOFF ? retryDelayMs(attemptsMade, retryPolicy) : 1_000,
      },
    });
    worker.on('failed', (job, error) => {
      logger.warn(
        { queue: kind, jobId: job?.id, attemptsMade: job?.attemptsMade, reason: error.message },
        'job attempt failed',
      );
      if (kind === 'email' && job?.id) void settleIfFinal(job, error);
    });
    worker.on('error', (error) => logger.error({ queue: kind, err: error }, 'worker error'));
    return worker;
  });
  logger.info({ queues: Object.keys(processors) }, 'workers started');

  return {
    workers,
    async close(timeoutMs) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      const deadline = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), timeoutMs).unref(),
      );
      if ((await Promise.race([graceful, deadline])) === 'timeout') {
        logger.warn(
          { timeoutMs },
          'workers did not drain in time; forcing close, running jobs will be retried',
        );
        await Promise.all(workers.map((w) => w.close(true)));
      }
      transport.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
