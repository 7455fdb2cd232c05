import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import type { QueueEntry } from './queue-set';

/**
 * Bull Board (the BullMQ dashboard) at `basePath`. Partitions of the email
 * queue share the name `email`, so each gets a `pN-` prefix to stay apart.
 */
export function bullBoard(entries: QueueEntry[], basePath: string): Hono {
  const serverAdapter = new HonoAdapter(serveStatic);
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: entries.map(
      ({ queue, partition }) => new BullMQAdapter(queue, partition > 0 ? { prefix: `p${partition}-` } : {}),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Mail Queue' } },
  });
  return serverAdapter.registerPlugin();
}
