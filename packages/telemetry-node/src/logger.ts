import { context, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * The project's pino logger: JSON lines, with the active trace and span ids
 * mixed into every line (`trace_id`, `span_id`) so logs and traces join up.
 * `pretty` is for the dev command only; `destination` (default stdout) lets
 * tests read the lines.
 */
export function createLogger(
  name: string,
  options: { level?: string; pretty?: boolean; destination?: DestinationStream } = {},
): Logger {
  const config: LoggerOptions = {
    name,
    level: options.level ?? 'info',
    redact: { paths: ['apiKey', 'authorization', 'password', '*.password'], censor: '[redacted]' },
    mixin() {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  };
  if (options.pretty) {
    config.transport = { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } };
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}
