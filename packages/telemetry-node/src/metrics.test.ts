import { lazyMeter, mailqMetrics } from '@mailq/telemetry';
import type { BatchObservableResult } from '@opentelemetry/api';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PROMETHEUS_CONTENT_TYPE, startMetrics } from './metrics';

// Taken before any provider exists, as bullmq-otel's meter is (at import).
const early = lazyMeter('bullmq');

const received: { url?: string; bytes: number }[] = [];
const collector = createServer((req: IncomingMessage, res) => {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => {
    received.push({ url: req.url, bytes });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const metrics = startMetrics({
  serviceName: 'metrics-test',
  otlpEndpoint: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`,
});
afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

/** The value of one series in Prometheus text, by name and label subset. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('startMetrics', () => {
  it('shows a counter in the Prometheus text with its final name and labels', async () => {
    mailqMetrics().emailsAccepted.add(2, { tenant: 'ten_a' });
    mailqMetrics().emailsAccepted.add(1, { tenant: 'ten_b' });
    const text = await metrics.text();
    expect(text).toContain('# TYPE mailq_emails_accepted_total counter');
    expect(sample(text, 'mailq_emails_accepted_total', { tenant: 'ten_a' })).toBe(2);
    expect(sample(text, 'mailq_emails_accepted_total', { tenant: 'ten_b' })).toBe(1);
  });

  it('buckets latency histograms in seconds', async () => {
    mailqMetrics().deliveryLatency.record(0.3, { destination: 'other' });
    const text = await metrics.text();
    expect(sample(text, 'mailq_delivery_latency_seconds_count', { destination: 'other' })).toBe(1);
    expect(sample(text, 'mailq_delivery_latency_seconds_bucket', { le: '0.25' })).toBe(0);
    expect(sample(text, 'mailq_delivery_latency_seconds_bucket', { le: '0.5' })).toBe(1);
  });

  it('computes observable gauges when scraped, not before', async () => {
    let observed = 0;
    const { meter, queueWaiting } = mailqMetrics();
    const callback = (result: BatchObservableResult) => {
      observed++;
      result.observe(queueWaiting, 7, { queue: 'email', partition: '0' });
    };
    meter.addBatchObservableCallback(callback, [queueWaiting]);
    try {
      expect(observed).toBe(0);
      const text = await metrics.text();
      expect(observed).toBe(1);
      expect(text).toContain('# TYPE mailq_queue_waiting gauge');
      expect(sample(text, 'mailq_queue_waiting', { queue: 'email', partition: '0' })).toBe(7);
    } finally {
      meter.removeBatchObservableCallback(callback, [queueWaiting]);
    }
  });

  it('records through a lazy meter taken before the provider was registered', async () => {
    early.createCounter('bullmq.jobs.completed').add(1, { 'bullmq.queue.name': 'email' });
    const text = await metrics.text();
    expect(sample(text, 'bullmq_jobs_completed_total', { bullmq_queue_name: 'email' })).toBe(1);
  });

  it('serves the text as a Web-standard response', async () => {
    const response = await metrics.handler(new Request('http://localhost/metrics'));
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await response.text()).toContain('mailq_emails_accepted_total');
  });

  it('pushes over OTLP/HTTP when an endpoint is set, flushing on shutdown', async () => {
    await metrics.shutdown();
    expect(received.some((r) => r.url === '/v1/metrics' && r.bytes > 0)).toBe(true);
  });
});
