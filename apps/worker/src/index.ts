export { WorkerEnv, loadWorkerConfig } from './config';
export { startWorkers, type WorkerFleet, type WorkerFleetOptions } from './worker-fleet';
export { classifySmtpError, type SmtpOutcome } from './smtp-reply';
export { retryDelayMs, type RetryPolicy } from './retry-backoff';
