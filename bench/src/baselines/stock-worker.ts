import { Worker } from 'bullmq';
import nodemailer from 'nodemailer';
import type { Role } from '../support/role';
import type { MinimalEmail } from './minimal-app';
import { STOCK_QUEUE, connectionOf } from './stock-options';

export interface StockWorkerOptions {
  redisUrl: string;
  smtpUrl: string;
  /** Worker concurrency and SMTP pool size: the product's defaults unless told. */
  concurrency?: number;
  poolSize?: number;
}

/**
 * Baseline: a stock BullMQ Worker whose processor composes each message with
 * nodemailer and sends it through a pooled transport — what the README of
 * either library leads a team to write. Same concurrency (20) and pool size
 * (5) as the product's defaults; nodemailer's other pool settings are stock.
 */
export async function start(options: StockWorkerOptions): Promise<Role> {
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    pool: true,
    maxConnections: options.poolSize ?? 5,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const worker = new Worker<MinimalEmail>(
    STOCK_QUEUE,
    async (job) => {
      const email = job.data;
      await transport.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        ...(email.text !== undefined ? { text: email.text } : {}),
        ...(email.html !== undefined ? { html: email.html } : {}),
        ...(email.headers ? { headers: email.headers } : {}),
        // The job id names the message, so a retry sends the same Message-ID.
        messageId: `<${job.id}@stock.bench.invalid>`,
      });
    },
    { connection: connectionOf(options.redisUrl), concurrency: options.concurrency ?? 20 },
  );
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    info: {},
    methods: {},
    async close() {
      await worker.close();
      transport.close();
    },
  };
}
