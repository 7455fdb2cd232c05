export { RedisEnv, redisTargetFromEnv, type RedisTarget, type RedisTls } from './redis-config';
export {
  connectRedis,
  createRedis,
  retryStrategy,
  waitForReady,
  type ConnectionRole,
  type RedisClient,
} from './redis-connection';
export {
  DEFAULT_NAMESPACE,
  QUEUES,
  QUEUE_KINDS,
  SMTP_RETRY_BACKOFF,
  WEBHOOK_RETRY_BACKOFF,
  queuePrefix,
  type JobData,
  type JobPayload,
  type QueueDefinition,
  type QueueKind,
} from './catalog';
export { AnalyticsJob, BounceJob, EmailJob, TrackingJob, WebhookJob } from './job-payloads';
export { PACK_BODY_BYTES, StoredEmailJob, packEmailJob } from './email-body-packing';
export { createQueue, enqueue, enqueueBulk, parsePayload, queueTelemetry } from './queue-factory';
export { EmailQueues, partitionOf } from './email-partitions';
export { CLUSTER_SLOTS, keySlot } from './key-slot';
export {
  MAX_PARTITIONS,
  extendLayout,
  partitionPrefix,
  type ClusterFacts,
  type PartitionLayout,
  type SlotRange,
} from './partition-layout';
export { layoutKey, resolvePartitionLayout } from './resolve-partition-layout';
