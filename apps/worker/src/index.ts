export { WorkerEnv, loadWorkerConfig } from './config';
export { startWorkers, type WorkerFleet, type WorkerFleetOptions } from './worker-fleet';
export { emailBackoff, retryDelayMs, type RetryPolicy } from './retry-backoff';
export { startHealthServer, type HealthReport, type MetricsSource } from './health-server';
export { observeQueueDepth, type ObservedQueue, type QueueDepthOptions } from './metrics/queue-depth';
export { TENANT_PAUSE_CACHE_MS } from './delivery/email-delivery';
