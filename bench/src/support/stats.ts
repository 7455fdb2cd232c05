/** A figure measured over several rounds: the median, with the spread of the rounds. */
export interface Measurement {
  median: number;
  min: number;
  max: number;
  samples: number[];
  unit: string;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function measurement(samples: number[], unit: string): Measurement {
  return {
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    samples,
    unit,
  };
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * The ratio of two measured figures: the ratio of the medians, and its spread
 * as the range of the per-round ratios (rounds are paired: subject and
 * baseline ran back to back, so they saw the same background load).
 */
export function ratioOf(subject: Measurement, baseline: Measurement): Measurement {
  const paired = subject.samples
    .map((value, i) => value / (baseline.samples[i] ?? baseline.median))
    .filter((r) => Number.isFinite(r));
  return {
    median: subject.median / baseline.median,
    min: paired.length > 0 ? Math.min(...paired) : Number.NaN,
    max: paired.length > 0 ? Math.max(...paired) : Number.NaN,
    samples: paired,
    unit: '×',
  };
}
