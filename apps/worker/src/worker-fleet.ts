import type { DnsResolver } from '@mailq/mail';
import {
  QUEUES,
  SMTP_RETRY_BACKOFF,
  WEBHOOK_RETRY_BACKOFF,
  EmailQueues,
  createQueue,
  createRedis,
  queuePrefix,
  type QueueKind,
  type RedisTarget,
} from '@mailq/queues';
import { EventPublisher, Stores } from '@mailq/store';
import { webhookRetryDelay } from '@mailq/webhooks';
import type { Logger } from '@mailq/telemetry-node';
import { Worker, type Job, type MinimalJob } from 'bullmq';
import type { WorkerEnv } from './config';
import { emailDelivery } from './delivery/email-delivery';
import { analyticsProcessor } from './processors/analytics.processor';
import { emailProcessor } from './processors/email.processor';
import { bounceProcessor } from './processors/bounce.processor';
import { trackingProcessor } from './processors/tracking.processor';
import { webhookProcessor } from './processors/webhook.processor';
import { settleFailedEmail } from './processors/settle-failed-email';
import { emailBackoff } from './retry-backoff';
import { ProgressMonitor, type HealthReport } from './health-server';
import { jobTelemetry } from './metrics/job-telemetry';
import { observeQueueDepth } from './metrics/queue-depth';
import { withTimeout } from './with-timeout';

export interface WorkerFleetOptions {
  redis: RedisTarget;
  config: WorkerEnv;
  logger: Logger;
  namespace?: string;
  /** Clock port (tests move time forward to expire lifetimes). */
  now?: () => Date;
  /** DNS port for mx mode (tests answer with loopback hosts). */
  resolver?: DnsResolver;
}

export interface WorkerFleet {
  workers: Worker[];
  /** Progress and Redis reachability, as /readyz reports them. */
  health(): Promise<HealthReport>;
  /** Stops taking jobs and waits for running ones up to `timeoutMs`, then forces close (jobs return via stall recovery). */
  close(timeoutMs: number): Promise<void>;
}

/** Starts one BullMQ worker per queue of the catalog, sharing one worker-role Redis connection. */
export async function startWorkers(options: WorkerFleetOptions): Promise<WorkerFleet> {
  const { config, logger } = options;
  const now = options.now ?? (() => new Date());
  const connection = createRedis(options.redis, 'worker', 'mailq-worker');
  // Reconnection is automatic; without a listener ioredis prints every failed attempt.
  connection.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  const stores = new Stores(connection, options.namespace);
  const publisher = new EventPublisher({
    events: stores.events,
    endpoints: stores.endpoints,
    webhookQueue: createQueue('webhook', connection, options.namespace),
    analyticsQueue: createQueue('analytics', connection, options.namespace),
    now,
  });
  const delivery = emailDelivery(config, stores, connection, publisher, {
    now,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.resolver ? { resolver: options.resolver } : {}),
  });
  const backoff = emailBackoff(
    { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS },
    config.MESSAGE_LIFETIME_MS,
    now,
  );

  const processors: Record<QueueKind, (job: Job, token?: string) => Promise<void>> = {
    email: emailProcessor(delivery),
    analytics: analyticsProcessor(stores.analytics),
    webhook: webhookProcessor({
      stores,
      now,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      disableAfterMs: config.WEBHOOK_DISABLE_AFTER_MS,
      allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK === 'true',
      allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'true',
    }),
    bounce: bounceProcessor(stores, publisher),
    tracking: trackingProcessor(stores, publisher),
  };

  // Only once BullMQ has moved the job to the failed set is the failure final.
  const settleIfFinal = async (job: Job, error: Error) => {
    try {
      if ((await job.getState()) === 'failed') {
        await settleFailedEmail(
          stores.messages,
          publisher,
          job.id as string,
          error.message,
          now(),
          delivery.metrics,
        );
      }
    } catch (settleError) {
      logger.error({ jobId: job.id, err: settleError }, 'could not record the final failure');
    }
  };

  const progress = new ProgressMonitor();
  const emailQueues = await EmailQueues.open(connection, options.namespace, config.QUEUE_PARTITIONS);
  // Every worker drains every partition of the stored layout: QUEUE_PARTITIONS, and any a larger
  // setting left behind.
  const targets: Array<{ kind: QueueKind; prefix: string }> = (
    Object.keys(processors) as QueueKind[]
  ).flatMap((kind): Array<{ kind: QueueKind; prefix: string }> =>
    kind === 'email'
      ? emailQueues.layout.prefixes.map((prefix) => ({ kind, prefix }))
      : [{ kind, prefix: queuePrefix(options.namespace) }],
  );
  const workers = targets.map(({ kind, prefix }) => {
    const worker = new Worker(QUEUES[kind].name, withTimeout(QUEUES[kind].timeoutMs, processors[kind]), {
      connection,
      prefix,
      telemetry: jobTelemetry,
      concurrency: {
        email: config.EMAIL_CONCURRENCY,
        webhook: config.WEBHOOK_CONCURRENCY,
        bounce: config.BOUNCE_CONCURRENCY,
        analytics: config.ANALYTICS_CONCURRENCY,
        tracking: config.TRACKING_CONCURRENCY,
      }[kind],
      // A job whose lock is not renewed in time (worker died or its event loop
      // stalled) goes back to wait; after 2 such stalls it fails visibly rather
      // than looping forever on a message that crashes workers.
      // An idle worker blocks on its queue's marker for up to this many seconds; a new job
      // (or the next delayed one) wakes it at once, so a long block only cuts idle polling
      // (5 s, BullMQ's default, costs an idle fleet ~8 Redis commands/s; 30 s about 1.5).
      drainDelay: 30,
      lockDuration: config.JOB_LOCK_MS,
      stalledInterval: config.JOB_LOCK_MS,
      maxStalledCount: 2,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob) => {
          if (type === SMTP_RETRY_BACKOFF) return backoff(attemptsMade, job);
          if (type === WEBHOOK_RETRY_BACKOFF)
            return Math.round(webhookRetryDelay(attemptsMade) * config.WEBHOOK_RETRY_SCALE);
          return 1_000;
        },
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
    progress.watch(kind, worker);
    return worker;
  });
  // Queue depth for /metrics and the autoscaler: every partition of email, and the other queues.
  const otherQueues = targets
    .filter((t) => t.kind !== 'email')
    .map((t) => ({ queue: createQueue(t.kind, connection, options.namespace), kind: t.kind, partition: 0 }));
  const stopQueueMetrics = observeQueueDepth(connection, [
    ...emailQueues.queues.map((queue, partition) => ({ queue, kind: 'email', partition })),
    ...otherQueues,
  ]);
  logger.info({ queues: Object.keys(processors), mode: config.DELIVERY_MODE }, 'workers started');

  return {
    workers,
    health: () => progress.report(connection, emailQueues.queues, config.WORKER_STALL_AFTER_MS),
    async close(timeoutMs) {
      stopQueueMetrics();
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
      delivery.route.close();
      await emailQueues.close();
      await Promise.all(otherQueues.map((q) => q.queue.close()));
      await publisher.close();
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
