export { startTracing, type Tracing, type TracingOptions } from './tracing';
export { PROMETHEUS_CONTENT_TYPE, startMetrics, type Metrics, type MetricsOptions } from './metrics';
export { createLogger, type Logger } from './logger';
