/** MAILQ_NAMESPACE of every product stack the bench starts (queue prefix `{bench}`). */
export const BENCH_NAMESPACE = 'bench';
