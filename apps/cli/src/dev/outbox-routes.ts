import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono, type Context } from 'hono';
import { accepts } from 'hono/accepts';
import { EML_FILE_NAME, readOutbox } from './outbox-reader';
import { renderOutboxPage } from './outbox-page';

/**
 * The dev-mode outbox over the capture server's directory, to be mounted at
 * `/dev/outbox`:
 *
 * - `GET /` lists captured messages newest first: an HTML page for browsers
 *   (`Accept` preferring `text/html`), otherwise (or with `?format=json`) JSON
 *   `{ messages: [{ file, from, to, subject, date, messageId, size }] }`.
 * - `GET /:file` serves one raw `.eml` as `message/rfc822`.
 *
 * Unknown or malformed names answer 404 with the API's error envelope.
 *
 * @param dir The directory {@link startCaptureServer} writes to.
 */
export function outboxRoutes(dir: string): Hono {
  const app = new Hono();

  app.get('/', async (c) => {
    const entries = await readOutbox(dir);
    const format = c.req.query('format');
    // curl and fetch() send `*/*` or nothing, so JSON is the default and only an
    // explicit preference for text/html (every browser's navigation) gets the page.
    const wantsHtml =
      format === 'html' ||
      (format !== 'json' &&
        accepts(c, {
          header: 'Accept',
          supports: ['application/json', 'text/html'],
          default: 'application/json',
        }) === 'text/html');
    c.header('Vary', 'Accept');
    c.header('Cache-Control', 'no-store');
    if (wantsHtml) return c.html(renderOutboxPage(entries, c.req.path));
    return c.json({
      messages: entries.map(({ file, from, to, subject, date, messageId, size }) => ({
        file,
        from,
        to,
        subject,
        date,
        messageId,
        size,
      })),
    });
  });

  app.get('/:file', async (c) => {
    const file = c.req.param('file');
    // The strict pattern (no `/`, no `..` prefix path, `.eml` only) is the traversal guard.
    if (!EML_FILE_NAME.test(file)) return notFound(c);
    let raw: Buffer;
    try {
      raw = await readFile(join(dir, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return notFound(c);
      throw error;
    }
    return c.body(new Uint8Array(raw), 200, {
      'Content-Type': 'message/rfc822',
      // Never let a browser sniff captured content into something it would render as HTML.
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });

  // Deeper paths under the mount point get the JSON 404 too, not the host app's default.
  app.get('*', (c) => notFound(c));

  return app;
}

function notFound(c: Context): Response {
  return c.json({ error: { code: 'not_found', message: 'No captured message with this name.' } }, 404);
}
