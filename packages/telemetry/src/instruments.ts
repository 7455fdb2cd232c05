import {
  metrics,
  type Counter,
  type Gauge,
  type Histogram,
  type Meter,
  type MeterProvider,
  type ObservableGauge,
} from '@opentelemetry/api';
import { METER_NAME, METRICS } from './metric-names';

/** The project's instruments, created on one meter. */
export interface MailqInstruments {
  meter: Meter;
  emailsAccepted: Counter;
  emailsDelivered: Counter;
  emailsDeferred: Counter;
  emailsBounced: Counter;
  emailsFailed: Counter;
  emailsSuppressed: Counter;
  smtpReplies: Counter;
  webhookDeliveries: Counter;
  ingestRequestDuration: Histogram;
  deliveryLatency: Histogram;
  queueWaiting: ObservableGauge;
  queueActive: ObservableGauge;
  queueDelayed: ObservableGauge;
  queueFailed: ObservableGauge;
  queueOldestWaitingAge: ObservableGauge;
}

// API answers: most within tens of milliseconds, a stored batch of 500 within seconds.
const REQUEST_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Accept to 250: sub-second when the queue is idle, hours or days for deferred
// mail (the default message lifetime is 5 days).
const DELIVERY_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400, 432_000];

const byProvider = new WeakMap<MeterProvider, MailqInstruments>();

/**
 * The project's instruments on the MeterProvider registered now. The
 * OpenTelemetry metrics API has no proxy provider (unlike tracing): a meter
 * taken before `startMetrics` stays a no-op forever. So instruments are looked
 * up at each use, and created once per provider. Without a provider (Workers,
 * unit tests) they are no-ops.
 */
export function mailqMetrics(): MailqInstruments {
  const provider = metrics.getMeterProvider();
  let instruments = byProvider.get(provider);
  if (!instruments) {
    instruments = createInstruments(provider.getMeter(METER_NAME));
    byProvider.set(provider, instruments);
  }
  return instruments;
}

function createInstruments(meter: Meter): MailqInstruments {
  const counter = (name: string, description: string) => meter.createCounter(name, { description });
  const gauge = (name: string, description: string, unit?: string) =>
    meter.createObservableGauge(name, { description, ...(unit ? { unit } : {}) });
  return {
    meter,
    emailsAccepted: counter(METRICS.emailsAccepted, 'Messages stored durably and answered with 2xx'),
    emailsDelivered: counter(METRICS.emailsDelivered, 'Recipients accepted by the receiving server (250)'),
    emailsDeferred: counter(
      METRICS.emailsDeferred,
      'Recipients deferred (4xx, connection failure, throttled)',
    ),
    emailsBounced: counter(METRICS.emailsBounced, 'Recipients bounced (5xx, policy rejections included)'),
    emailsFailed: counter(METRICS.emailsFailed, 'Recipients given up on (lifetime exhausted, job failed)'),
    emailsSuppressed: counter(METRICS.emailsSuppressed, 'Recipients skipped as on the suppression list'),
    smtpReplies: counter(METRICS.smtpReplies, 'SMTP results per recipient by reply class and outcome'),
    webhookDeliveries: counter(METRICS.webhookDeliveries, 'Outbound webhook attempts by outcome'),
    ingestRequestDuration: meter.createHistogram(METRICS.ingestRequestDuration, {
      description: 'Ingest HTTP request duration',
      unit: 's',
      advice: { explicitBucketBoundaries: REQUEST_BUCKETS_S },
    }),
    deliveryLatency: meter.createHistogram(METRICS.deliveryLatency, {
      description: 'Time from acceptance (or the scheduled time) to the receiving server accepting',
      unit: 's',
      advice: { explicitBucketBoundaries: DELIVERY_BUCKETS_S },
    }),
    queueWaiting: gauge(METRICS.queueWaiting, 'Jobs waiting to be picked up'),
    queueActive: gauge(METRICS.queueActive, 'Jobs being processed'),
    queueDelayed: gauge(METRICS.queueDelayed, 'Jobs delayed (scheduled, or waiting out a retry backoff)'),
    queueFailed: gauge(METRICS.queueFailed, 'Jobs failed for good and still retained'),
    queueOldestWaitingAge: gauge(
      METRICS.queueOldestWaitingAge,
      'Seconds the next job to run has been ready (0 when none waits)',
      's',
    ),
  };
}

/** The instrument factory BullMQ's telemetry interface needs. */
export type InstrumentFactory = Pick<Meter, 'createCounter' | 'createHistogram' | 'createGauge'>;

/**
 * A meter that resolves the global MeterProvider each time an instrument is
 * asked for (instruments cached per provider). bullmq-otel binds its meter
 * when constructed, which happens at import, before `startMetrics`; BullMQ
 * asks its meter for the instrument at every job, so handing it this one
 * makes its job metrics follow the provider registered later.
 */
export function lazyMeter(name: string): InstrumentFactory {
  let provider: MeterProvider | undefined;
  let meter: Meter = metrics.getMeter(name);
  let counters = new Map<string, Counter>();
  let histograms = new Map<string, Histogram>();
  let gauges = new Map<string, Gauge>();
  const refresh = (): void => {
    const now = metrics.getMeterProvider();
    if (now === provider) return;
    provider = now;
    meter = now.getMeter(name);
    counters = new Map();
    histograms = new Map();
    gauges = new Map();
  };
  return {
    createCounter(instrument, options) {
      refresh();
      const found = counters.get(instrument) ?? meter.createCounter(instrument, options);
      counters.set(instrument, found);
      return found;
    },
    createHistogram(instrument, options) {
      refresh();
      const found = histograms.get(instrument) ?? meter.createHistogram(instrument, options);
      histograms.set(instrument, found);
      return found;
    },
    createGauge(instrument, options) {
      refresh();
      const found = gauges.get(instrument) ?? meter.createGauge(instrument, options);
      gauges.set(instrument, found);
      return found;
    },
  };
}
