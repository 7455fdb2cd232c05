import { SPANS } from '@mailq/telemetry';
import { startTracing, type Tracing } from '@mailq/telemetry-node';
import { waitUntil } from '@mailq/testing';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
// Registered before the platform's hooks, so tracing is on before it starts and off after it stops.
beforeAll(() => {
  tracing = startTracing({ serviceName: 'test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
});
afterAll(async () => {
  await tracing?.shutdown();
});
const env = useTestPlatform();

/** The chain of span names from `span` up to the root. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const chain = [span.name];
  let parentId = span.parentSpanContext?.spanId;
  while (parentId && byId.has(parentId)) {
    const parent = byId.get(parentId) as ReadableSpan;
    chain.push(parent.name);
    parentId = parent.parentSpanContext?.spanId;
  }
  return chain;
}

describe('tracing', () => {
  it('follows one message from the HTTP request through the job to the SMTP send, in one trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await env.platform.send(sampleEmail(), {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.status).toBe(202);
    await env.sink.waitFor(1);
    // Spans finish inside-out (SMTP send before the job's process span), so
    // wait until the whole chain up to the HTTP request has been exported.
    const { smtp, chain, spans } = await waitUntil(
      () => {
        const finished = exporter.getFinishedSpans();
        const send = finished.find((s) => s.name === SPANS.smtpSend);
        const path = send ? ancestry(send, finished) : [];
        return path.at(-1) === SPANS.httpRequest
          ? { smtp: send as ReadableSpan, chain: path, spans: finished }
          : undefined;
      },
      { message: 'no span chain from the SMTP send up to the HTTP request' },
    );
    expect(smtp.spanContext().traceId).toBe(traceId);
    // smtp send ← bullmq process (consumer) ← … bullmq add (producer) ← relay enqueue ← HTTP request
    expect(chain[0]).toBe(SPANS.smtpSend);
    expect(chain.some((name) => /process/.test(name))).toBe(true);
    expect(chain).toContain(SPANS.relayEnqueue);
    expect(chain.at(-1)).toBe(SPANS.httpRequest);
    const http = spans.find((s) => s.name === SPANS.httpRequest);
    expect(http?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});
