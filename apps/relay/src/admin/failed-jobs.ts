import { allRecipients, domainOf } from '@mailq/contracts';
import type { Job } from 'bullmq';
import * as v from 'valibot';

/** Which failed jobs an operator means: all of them, or those of a tenant, a recipient domain, a reason. */
export const FailedFilter = v.strictObject({
  tenant: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  /** A recipient domain (email jobs). */
  domain: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(253), v.toLowerCase())),
  /** A case-insensitive part of the failure reason. */
  reason: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(500))),
  /** At most this many jobs (default 100, at most 10000). */
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)), 100),
});
export type FailedFilter = v.InferOutput<typeof FailedFilter>;

export interface FailedJobView {
  queue: string;
  partition: number;
  id: string;
  tenant: string | null;
  domains: string[];
  reason: string;
  attempts: number;
  failed_at: string | null;
}

/** The tenant and destination domains a job concerns, read defensively: data outlives deploys. */
export function jobSubjects(job: Job): { tenant: string | null; domains: string[] } {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const tenant = typeof data.tenantId === 'string' ? data.tenantId : null;
  const domains = new Set<string>();
  try {
    if (data.email && typeof data.email === 'object') {
      for (const address of allRecipients(data.email as Parameters<typeof allRecipients>[0])) {
        domains.add(domainOf(address).toLowerCase());
      }
    }
  } catch {
    // A payload of an older shape: matched by tenant and reason only.
  }
  return { tenant, domains: [...domains] };
}

export function matches(job: Job, filter: FailedFilter): boolean {
  const { tenant, domains } = jobSubjects(job);
  if (filter.tenant !== undefined && tenant !== filter.tenant) return false;
  if (filter.domain !== undefined && !domains.includes(filter.domain)) return false;
  if (
    filter.reason !== undefined &&
    !(job.failedReason ?? '').toLowerCase().includes(filter.reason.toLowerCase())
  ) {
    return false;
  }
  return true;
}

export function viewOf(job: Job, queue: string, partition: number): FailedJobView {
  const { tenant, domains } = jobSubjects(job);
  return {
    queue,
    partition,
    id: String(job.id),
    tenant,
    domains,
    reason: job.failedReason ?? '',
    attempts: job.attemptsMade,
    failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
