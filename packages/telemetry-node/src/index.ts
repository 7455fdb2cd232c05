export { startTracing, type Tracing, type TracingOptions } from './tracing';
export { createLogger, type Logger } from './logger';
