import { formatNumber, formatSpread } from './format';
import type { Row, SuiteResult } from './results';

const HEADERS = ['Figure', 'Mail Queue', 'Baseline', 'Ratio [spread]', 'Target', 'Met'];

function cells(row: Row): string[] {
  if (row.skipped) return [row.label, '–', '–', '–', targetText(row), `skipped: ${row.skipped}`];
  const unit = row.subject.unit;
  const baseline = row.baseline
    ? `${formatSpread(row.baseline.median, row.baseline.min, row.baseline.max, row.baseline.unit)}${row.baselineLabel ? ` (${row.baselineLabel})` : ''}`
    : '–';
  const ratio = row.ratio
    ? formatSpread(
        row.ratio.median,
        row.ratio.min,
        row.ratio.max,
        row.ratio.unit === '×' ? '×' : row.ratio.unit,
      )
    : '–';
  const met = row.met === undefined ? '' : row.met ? 'yes' : 'NO';
  return [
    row.label,
    formatSpread(row.subject.median, row.subject.min, row.subject.max, unit),
    baseline,
    ratio,
    targetText(row),
    met,
  ];
}

function targetText(row: Row): string {
  if (!row.target) return '';
  return `${row.target.op} ${formatNumber(row.target.value)}${row.ratio && row.ratio.unit !== '×' ? ` ${row.ratio.unit}` : '×'}`;
}

/** The results as a plain-text table, one block per scenario. */
export function renderTable(suite: SuiteResult): string {
  const lines: string[] = [];
  const all = suite.scenarios.flatMap((s) => s.rows.map(cells));
  const widths = HEADERS.map((h, i) =>
    Math.min(i === 0 ? 78 : 48, Math.max(h.length, ...all.map((c) => (c[i] ?? '').length))),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join(' │ ')
      .trimEnd();
  lines.push(line(HEADERS), widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const scenario of suite.scenarios) {
    lines.push(
      `${scenario.title} (${scenario.durationS.toFixed(0)} s)${scenario.error ? ` — FAILED: ${scenario.error}` : ''}`,
    );
    for (const row of scenario.rows) lines.push(line(cells(row)));
  }
  return lines.join('\n');
}

/** The same as a Markdown table (for RESULTS.md). */
export function renderMarkdown(suite: SuiteResult): string {
  const lines = [`| Scenario | ${HEADERS.join(' | ')} |`, `|${' --- |'.repeat(HEADERS.length + 1)}`];
  for (const scenario of suite.scenarios) {
    for (const row of scenario.rows)
      lines.push(
        `| ${scenario.id} | ${cells(row)
          .map((c) => c.replace(/\|/g, '\\|'))
          .join(' | ')} |`,
      );
    if (scenario.error) lines.push(`| ${scenario.id} | FAILED: ${scenario.error} | | | | | |`);
  }
  return lines.join('\n');
}
