import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; created_at: string; data: Record<string, unknown> };
}

/** A customer's webhook endpoint on loopback: records requests, answers what the test programs. */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  let failuresLeft = 0;
  let failingType: string | undefined;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const type = (JSON.parse(body) as { type?: string }).type;
      if (failuresLeft > 0 && (failingType === undefined || failingType === type)) {
        failuresLeft--;
        res.writeHead(500).end('not now');
        return;
      }
      received.push({ headers: req.headers, body, json: JSON.parse(body) as ReceivedWebhook['json'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The next `n` deliveries (of `type`, when given) get a 500. */
    failNext(n: number, type?: string) {
      failuresLeft = n;
      failingType = type;
    },
    ofType: (type: string) => received.filter((r) => r.json.type === type),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
