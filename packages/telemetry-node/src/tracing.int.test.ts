import { tracer } from '@mailq/telemetry';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing } from './tracing';

const received: { url?: string; contentType?: string; bytes: number }[] = [];
const collector = createServer((req: IncomingMessage, res) => {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => {
    received.push({ url: req.url, contentType: req.headers['content-type'], bytes });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

describe('startTracing', () => {
  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const tracing = startTracing({ serviceName: 'otlp-test', otlpEndpoint: `http://127.0.0.1:${port}/` });
    tracer().startSpan('mq.test.span').end();
    await tracing.shutdown();
    expect(received).toHaveLength(1);
    expect(received[0]?.url).toBe('/v1/traces');
    expect(received[0]?.bytes).toBeGreaterThan(0);
  });
});
