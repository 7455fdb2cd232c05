import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedResolver } from './test-support';
import { deliverWebhook } from './webhook-client';
import { generateWebhookSecret, signWebhook } from './webhook-signer';

interface Received {
  method?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real receiver on 127.0.0.1 whose behaviour is chosen by the request path. */
async function startReceiver(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() });
      handle(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver is not on a TCP port');
  const { port } = address;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { port, received, close };
}

const BIG_CHUNK = Buffer.alloc(16 * 1024, 'x');

function behave(req: IncomingMessage, res: ServerResponse): void {
  switch (req.url) {
    case '/ok':
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`accepted ${'y'.repeat(3000)}`);
    case '/fail':
      return void res.writeHead(500).end('internal error: database on fire');
    case '/redirect':
      return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    case '/slow':
      return; // never answers
    case '/huge': {
      res.writeHead(200); // chunked, no content-length: the limit must be enforced while reading
      const timer = setInterval(() => res.write(BIG_CHUNK), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/trickle': {
      res.writeHead(200); // headers at once, then a byte every 50 ms: never idle, never done
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/huge-declared':
      return void res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }).write('x');
    default:
      return void res.writeHead(404).end();
  }
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver(behave);
});
afterAll(() => receiver.close());

const loopback = { allowLoopback: true, timeoutMs: 5_000 };
const plain = (path: string) => ({
  url: `http://127.0.0.1:${receiver.port}${path}`,
  headers: {},
  body: '{}',
});

describe('deliverWebhook against a local receiver', () => {
  it('POSTs the signed JSON body and reports a 2xx with its status and a 1 KiB snippet', async () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ type: 'email.delivered', created_at: new Date().toISOString(), data: {} });
    const headers = signWebhook({ id: 'msg_ok', timestamp: new Date(), body, secrets: [secret] });
    const before = receiver.received.length;

    const attempt = await deliverWebhook(
      { url: `http://127.0.0.1:${receiver.port}/ok`, headers, body },
      loopback,
    );

    expect(attempt).toMatchObject({ ok: true, status: 200 });
    expect(attempt.error).toBeUndefined();
    expect(attempt.responseSnippet).toBe(`accepted ${'y'.repeat(1024 - 'accepted '.length)}`);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    const request = receiver.received[before];
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('MailQueue-Webhooks/1');
    expect(request?.body).toBe(body);
    const asReceived = Object.fromEntries(
      Object.entries(request?.headers ?? {}).map(([k, v]) => [k, String(v)]),
    );
    expect(new Webhook(secret).verify(request?.body ?? '', asReceived)).toEqual(JSON.parse(body));
  });

  it('reports a 5xx as a failure with status and snippet', async () => {
    const attempt = await deliverWebhook(plain('/fail'), loopback);
    expect(attempt).toMatchObject({
      ok: false,
      status: 500,
      responseSnippet: 'internal error: database on fire',
    });
  });

  it('does not follow a redirect to the metadata service', async () => {
    const attempt = await deliverWebhook(plain('/redirect'), loopback);
    expect(attempt).toMatchObject({ ok: false, status: 302, error: 'redirect not followed (302)' });
  });

  it('gives up on a receiver that never answers', async () => {
    const attempt = await deliverWebhook(plain('/slow'), { ...loopback, timeoutMs: 300 });
    expect(attempt).toMatchObject({ ok: false, error: 'timeout after 300 ms' });
    expect(attempt.durationMs).toBeGreaterThanOrEqual(290);
    expect(attempt.durationMs).toBeLessThan(2_000);
  });

  it('bounds the whole request, not just idle time, for a receiver that trickles', async () => {
    const attempt = await deliverWebhook(plain('/trickle'), { ...loopback, timeoutMs: 400 });
    expect(attempt).toMatchObject({ ok: false, status: 200, error: 'timeout after 400 ms' });
    expect(attempt.durationMs).toBeLessThan(2_000);
  });

  it('cuts off a streamed response larger than maxResponseBytes', async () => {
    const attempt = await deliverWebhook(plain('/huge'), loopback);
    expect(attempt).toMatchObject({ ok: false, status: 200, error: 'response exceeded 65536 bytes' });
    expect(attempt.responseSnippet).toHaveLength(1024);
  });

  it('refuses a declared Content-Length above the limit without reading it', async () => {
    const attempt = await deliverWebhook(plain('/huge-declared'), { ...loopback, maxResponseBytes: 1000 });
    expect(attempt).toMatchObject({ ok: false, status: 200, error: 'response exceeded 1000 bytes' });
  });

  it('reports a refused connection', async () => {
    const closed = await startReceiver(behave);
    await closed.close();
    const attempt = await deliverWebhook(
      { ...plain('/ok'), url: `http://127.0.0.1:${closed.port}/ok` },
      loopback,
    );
    expect(attempt.ok).toBe(false);
    expect(attempt.error).toContain('ECONNREFUSED');
  });

  it('connects to the address its single lookup vetted', async () => {
    const calls: string[] = [];
    const lookup = fixedResolver({ 'hooks.test': ['127.0.0.1'] }, calls);
    const attempt = await deliverWebhook(
      { ...plain('/ok'), url: `http://hooks.test:${receiver.port}/ok` },
      { ...loopback, lookup },
    );
    expect(attempt).toMatchObject({ ok: true, status: 200 });
    expect(calls).toEqual(['hooks.test']);
  });

  it('blocks 127.0.0.1 when loopback is not allowed, though a server listens there', async () => {
    const before = receiver.received.length;
    const attempt = await deliverWebhook(plain('/ok'), { timeoutMs: 2_000 });
    expect(attempt).toMatchObject({ ok: false, error: 'blocked: 127.0.0.1 is loopback (RFC 1122)' });
    expect(attempt.status).toBeUndefined();
    const byName = await deliverWebhook(
      { ...plain('/ok'), url: `http://hooks.test:${receiver.port}/ok` },
      { timeoutMs: 2_000, lookup: fixedResolver({ 'hooks.test': ['127.0.0.1'] }) },
    );
    expect(byName.error).toBe('blocked: hooks.test resolves to 127.0.0.1, loopback (RFC 1122)');
    expect(receiver.received.length).toBe(before);
  });
});
