import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import * as v from 'valibot';

/**
 * What a hand-written sending endpoint checks: addresses, a subject and a
 * body, with sane lengths. Deliberately less than the product's contract
 * (no attachments, headers, tags…): the baseline is the minimal server a
 * team would write in an afternoon.
 */
export const MinimalEmail = v.object({
  from: v.pipe(v.string(), v.minLength(3), v.maxLength(320)),
  to: v.union([
    v.pipe(v.string(), v.email()),
    v.pipe(v.array(v.pipe(v.string(), v.email())), v.minLength(1), v.maxLength(50)),
  ]),
  subject: v.pipe(v.string(), v.minLength(1), v.maxLength(998)),
  text: v.optional(v.pipe(v.string(), v.maxLength(5_000_000))),
  html: v.optional(v.pipe(v.string(), v.maxLength(5_000_000))),
  headers: v.optional(v.record(v.string(), v.string())),
});
export type MinimalEmail = v.InferOutput<typeof MinimalEmail>;

/** The bearer token every baseline server accepts (compared in memory: the cheapest possible auth). */
export const BASELINE_TOKEN = 'bench-baseline-token';

export interface Enqueuer {
  one(email: MinimalEmail): Promise<string>;
  many(emails: MinimalEmail[]): Promise<string[]>;
}

/** `POST /v1/emails` and `POST /v1/emails/batch` on Hono, handing each valid message to `enqueue`. */
export function minimalApp(enqueue: Enqueuer): Hono {
  const app = new Hono();
  app.use('/v1/*', async function auth(c, next) {
    if (c.req.header('authorization') !== `Bearer ${BASELINE_TOKEN}`)
      return c.json({ error: 'unauthorized' }, 401);
    await next();
  });
  app.post('/v1/emails', async (c) => {
    const parsed = v.safeParse(MinimalEmail, await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'invalid', issues: parsed.issues.length }, 400);
    return c.json({ id: await enqueue.one(parsed.output) }, 202);
  });
  app.post('/v1/emails/batch', async (c) => {
    const body: unknown = await c.req.json().catch(() => null);
    if (!Array.isArray(body) || body.length === 0 || body.length > 500)
      return c.json({ error: 'invalid batch' }, 400);
    const emails: MinimalEmail[] = [];
    for (const item of body) {
      const parsed = v.safeParse(MinimalEmail, item);
      if (!parsed.success) return c.json({ error: 'invalid', issues: parsed.issues.length }, 400);
      emails.push(parsed.output);
    }
    const ids = await enqueue.many(emails);
    return c.json({ data: ids.map((id, index) => ({ index, id })) }, 200);
  });
  return app;
}

/** Listens on a free loopback port with @hono/node-server, as the product's Node ingest does. */
export async function listenOnLoopback(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
