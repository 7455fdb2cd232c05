import { Queue } from 'bullmq';
import type { Role } from '../support/role';
import { listenOnLoopback, minimalApp } from './minimal-app';
import { STOCK_JOB_OPTIONS, STOCK_QUEUE, connectionOf } from './stock-options';

export interface AddServerOptions {
  redisUrl: string;
}

/**
 * Baseline: the hand-written Hono server a team would write on stock BullMQ —
 * validate, then `Queue.add` per request (`addBulk` per batch), answer 202
 * once Redis has the job.
 */
export async function start(options: AddServerOptions): Promise<Role<{ url: string }>> {
  const queue = new Queue(STOCK_QUEUE, { connection: connectionOf(options.redisUrl) });
  await queue.waitUntilReady();
  const server = await listenOnLoopback(
    minimalApp({
      async one(email) {
        const job = await queue.add('email', email, STOCK_JOB_OPTIONS);
        return job.id ?? '';
      },
      async many(emails) {
        const jobs = await queue.addBulk(
          emails.map((data) => ({ name: 'email', data, opts: STOCK_JOB_OPTIONS })),
        );
        return jobs.map((job) => job.id ?? '');
      },
    }),
  );
  return {
    info: { url: server.url },
    methods: {},
    async close() {
      await server.close();
      await queue.close();
    },
  };
}
