import { parseConfig } from '@mailq/contracts';
import {
  QUEUE_KINDS,
  RedisEnv,
  createRedis,
  resolvePartitionLayout,
  waitForReady,
  type QueueKind,
} from '@mailq/queues';
import { FailedFilter, QueueAdmin, type QueueStatus } from '@mailq/relay';
import { Stores } from '@mailq/store';
import * as v from 'valibot';
import { resolveRedisTarget } from '../redis-target';
import { UsageError } from '../usage-error';

type Out = (line: string) => void;

export const QUEUE_USAGE = `
  mailq queue status                         counts per queue and partition (with its prefix), and what is paused
  mailq queue pause|resume [<queue>]         stop / restart taking jobs from a queue (all without <queue>)
  mailq queue pause-tenant|resume-tenant <tenant id>
  mailq queue pause-domain|resume-domain <domain>
                                             hold a tenant's or a destination's mail as deferred
  mailq queue failed <queue> [--tenant id] [--domain d] [--reason text] [--limit n]
  mailq queue retry <queue> [filters]        send matching failed jobs round again
  mailq queue purge <queue> [filters]        delete matching failed jobs
  mailq queue drain [--timeout-ms n]         pause everything and wait for jobs in flight (before a deploy)
`;

export interface QueueFlags {
  tenant?: string | undefined;
  domain?: string | undefined;
  reason?: string | undefined;
  limit?: string | undefined;
  'timeout-ms'?: string | undefined;
}

/** `mailq queue …`: the admin API's actions, straight against Redis. Returns the exit code. */
export async function queueCommand(
  env: Record<string, string | undefined>,
  args: string[],
  flags: QueueFlags,
  out: Out,
): Promise<number> {
  const config = parseConfig(RedisEnv, env);
  const target = resolveRedisTarget(config, '.data', true);
  if (!target) throw new Error('no Redis configured');
  const redis = createRedis(target, 'producer', 'mailq-queue-admin');
  const stores = new Stores(redis, config.MAILQ_NAMESPACE);
  let admin: QueueAdmin | undefined;
  try {
    await waitForReady(redis, 10_000);
    const layout = await resolvePartitionLayout(redis, config.MAILQ_NAMESPACE, config.QUEUE_PARTITIONS);
    admin = new QueueAdmin(redis, stores, config.MAILQ_NAMESPACE, layout);
    return await run(admin, stores, args, flags, out);
  } finally {
    await admin?.close();
    redis.disconnect();
  }
}

async function run(admin: QueueAdmin, stores: Stores, args: string[], flags: QueueFlags, out: Out) {
  const [action, subject] = args;
  const queue = () => queueKind(subject);
  const filter = () =>
    parseFilter({
      ...(flags.tenant ? { tenant: flags.tenant } : {}),
      ...(flags.domain ? { domain: flags.domain } : {}),
      ...(flags.reason ? { reason: flags.reason } : {}),
      ...(flags.limit ? { limit: Number(flags.limit) } : { limit: 10_000 }),
    });
  switch (action) {
    case 'status': {
      printStatus(await admin.status(), out);
      const paused = await stores.pauses.list();
      out(
        `Paused tenants: ${paused.tenants.join(', ') || 'none'}; paused domains: ${paused.domains.join(', ') || 'none'}`,
      );
      return 0;
    }
    case 'pause':
      out(`Paused ${await admin.pause(subject === undefined ? undefined : queue())} queue(s).`);
      return 0;
    case 'resume':
      out(`Resumed ${await admin.resume(subject === undefined ? undefined : queue())} queue(s).`);
      return 0;
    case 'pause-tenant':
      if (!(await stores.tenants.get(required(subject, 'a tenant id'))))
        throw new UsageError(`No tenant ${subject}.`);
      await stores.pauses.pauseTenant(required(subject, 'a tenant id'));
      out(
        `Tenant ${subject} paused: its mail waits as deferred. Resume with: mailq queue resume-tenant ${subject}`,
      );
      return 0;
    case 'resume-tenant':
      await stores.pauses.resumeTenant(required(subject, 'a tenant id'));
      out(`Tenant ${subject} resumed: held mail goes out within seconds.`);
      return 0;
    case 'pause-domain': {
      const domain = await stores.pauses.pauseDestination(required(subject, 'a domain'));
      out(`Mail to ${domain} paused: it waits as deferred. Resume with: mailq queue resume-domain ${domain}`);
      return 0;
    }
    case 'resume-domain':
      await stores.pauses.resumeDestination(required(subject, 'a domain'));
      out(`Mail to ${subject} resumed: held mail goes out within seconds.`);
      return 0;
    case 'failed': {
      const jobs = await admin.failed(queue(), filter());
      for (const job of jobs) {
        out(
          `${job.id}  ${job.failed_at ?? '-'}  tenant=${job.tenant ?? '-'}  ${job.domains.join(',')}  ${job.reason}`,
        );
      }
      out(`${jobs.length} failed job(s).`);
      return 0;
    }
    case 'retry':
      out(`Retried ${await admin.retryFailed(queue(), filter())} failed job(s).`);
      return 0;
    case 'purge':
      out(`Purged ${await admin.purgeFailed(queue(), filter())} failed job(s).`);
      return 0;
    case 'drain': {
      const timeoutMs = flags['timeout-ms'] ? Number(flags['timeout-ms']) : 600_000;
      if (!Number.isInteger(timeoutMs) || timeoutMs < 0)
        throw new UsageError('--timeout-ms takes milliseconds');
      out('Pausing every queue: workers finish what they hold and take nothing new.');
      const report = await admin.drain({
        timeoutMs,
        onProgress: (n) => out(`Waiting for ${n} job(s) in flight…`),
      });
      out(
        `In flight: ${report.in_flight}. Left in the queues: ${report.waiting} waiting, ${report.delayed} delayed, ${report.failed} failed.`,
      );
      out(
        report.drained ? 'Drained. After the deploy: mailq queue resume' : 'Not drained before the deadline.',
      );
      return report.drained ? 0 : 1;
    }
    default:
      throw new UsageError(`Unknown queue action "${action ?? ''}".${QUEUE_USAGE}`);
  }
}

function printStatus(status: QueueStatus[], out: Out): void {
  out('queue       part  paused  waiting  active  delayed  failed  prefix');
  for (const s of status) {
    const cells = [
      s.queue.padEnd(10),
      String(s.partition).padStart(4),
      (s.paused ? 'yes' : 'no').padStart(6),
    ];
    const counts = [s.waiting, s.active, s.delayed, s.failed].map((n, i) =>
      String(n).padStart(i === 0 ? 7 : 6),
    );
    out(`${cells.join('  ')}  ${counts.join('  ')}  ${s.prefix}`);
  }
}

function queueKind(name: string | undefined): QueueKind {
  if (!QUEUE_KINDS.includes(name as QueueKind)) {
    throw new UsageError(`Name a queue: ${QUEUE_KINDS.join(', ')}.`);
  }
  return name as QueueKind;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`Give ${what}.`);
  return value;
}

function parseFilter(input: Record<string, unknown>): FailedFilter {
  const result = v.safeParse(FailedFilter, input);
  if (!result.success)
    throw new UsageError(`Invalid filter: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.output;
}
