export { ATTRS, SPANS, TRACER_NAME } from './span-names';
export { currentTraceCarrier, currentTraceId, tracer } from './trace-context';
export { BULLMQ_METER_NAME, LABELS, METER_NAME, METRICS } from './metric-names';
export { lazyMeter, mailqMetrics, type InstrumentFactory, type MailqInstruments } from './instruments';
