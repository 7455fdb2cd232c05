import { parsePayload, type QueueKind } from '@mailq/queues';
import { UnrecoverableError, type Job } from 'bullmq';

/**
 * Processor for a queue whose handling is not built yet (webhook, bounce and
 * tracking arrive with the issue "Events and the feedback loop"). Nothing
 * produces such jobs today; should one appear, it is validated and then failed
 * visibly — kept in the failed set for inspection — never silently dropped.
 */
export function pendingProcessor(kind: QueueKind) {
  return async function processPending(job: Job): Promise<void> {
    parsePayload(kind, job.data);
    throw new UnrecoverableError(`the ${kind} queue has no handler in this version; job kept as failed`);
  };
}
