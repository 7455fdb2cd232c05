import type { Measurement } from './stats';

/** A target from the issue: `ratio op value`. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/**
 * One line of the results table: a figure of Mail Queue, the same figure of
 * a baseline measured in the same run, and their ratio against a target.
 */
export interface Row {
  id: string;
  label: string;
  subject: Measurement;
  /** The baseline figure; null when the target is absolute (e.g. commands per second). */
  baseline: Measurement | null;
  baselineLabel?: string;
  /** subject / baseline, or for absolute targets the subject itself. */
  ratio: Measurement | null;
  target?: Target;
  /** Whether the median meets the target. */
  met?: boolean;
  /** Why the row was not measured (e.g. Postfix not installed). */
  skipped?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  rows: Row[];
  /** Everything else worth keeping (breakdowns, per-process CPU, settings). */
  details: Record<string, unknown>;
  notes: string[];
  durationS: number;
  /** Set when the scenario could not run to the end; its rows are then missing. */
  error?: string;
}

export interface SuiteResult {
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; node: string; redis: string; platform: string; commit: string; dirty: boolean };
  scenarios: ScenarioResult[];
  durationS: number;
}

export function meets(target: Target, value: number): boolean {
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

/** A row comparing subject to baseline; `met` is judged on the median ratio. */
export function ratioRow(fields: Omit<Row, 'met'>): Row {
  const met = fields.target && fields.ratio ? meets(fields.target, fields.ratio.median) : undefined;
  return { ...fields, ...(met === undefined ? {} : { met }) };
}

export function skippedRow(id: string, label: string, reason: string, target?: Target): Row {
  const empty: Measurement = { median: Number.NaN, min: Number.NaN, max: Number.NaN, samples: [], unit: '' };
  return {
    id,
    label,
    subject: empty,
    baseline: null,
    ratio: null,
    skipped: reason,
    ...(target ? { target } : {}),
  };
}
