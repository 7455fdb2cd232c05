export { ATTRS, SPANS, TRACER_NAME } from './span-names';
export { currentTraceCarrier, currentTraceId, tracer } from './trace-context';
