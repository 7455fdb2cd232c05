import { tracer } from '@mailq/telemetry';
import { context, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { startTracing } from './tracing';

const tracing = startTracing({ serviceName: 'logger-test' });
afterAll(() => tracing.shutdown());

describe('createLogger', () => {
  it('writes JSON lines carrying the active trace and span ids', () => {
    const lines: string[] = [];
    const logger = createLogger('test', { destination: { write: (line: string) => lines.push(line) } });
    const span = tracer().startSpan('mq.test.log');
    context.with(trace.setSpan(context.active(), span), () => logger.info({ jobId: 'j1' }, 'inside'));
    span.end();
    logger.info('outside');

    const [inside, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(inside).toMatchObject({
      msg: 'inside',
      jobId: 'j1',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
    expect(inside?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(inside?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(outside).not.toHaveProperty('trace_id');
  });
});
