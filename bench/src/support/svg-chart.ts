import { formatNumber } from './format';
import type { Row, SuiteResult } from './results';

const WIDTH = 1020;
const ROW_HEIGHT = 26;
const LABEL_WIDTH = 430;
const BAR_WIDTH = 360;
/** The scale runs from 0 to twice the target: the target line sits in the middle. */
const SCALE_MAX = 2;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** How far a row is from its target: 1 = exactly met, above 1 = better than the target. */
export function attainment(row: Row): number {
  if (!row.target || !row.ratio) return Number.NaN;
  const value = row.ratio.median;
  if (row.target.op === '>=') return value / row.target.value;
  return value === 0 ? SCALE_MAX : row.target.value / value;
}

/**
 * A small hand-written SVG: one bar per target, its length the attainment
 * (the ratio over its target, inverted for "at most" targets) on a scale
 * whose middle line is the target; green when met, red when not, grey when
 * skipped. The ratio and the target are written next to each bar.
 */
export function renderChart(suite: SuiteResult): string {
  const rows = suite.scenarios.flatMap((s) => s.rows).filter((row) => row.target);
  const height = 60 + rows.length * ROW_HEIGHT + 30;
  const x0 = LABEL_WIDTH;
  const scale = (v: number) => x0 + (Math.min(Math.max(v, 0), SCALE_MAX) / SCALE_MAX) * BAR_WIDTH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">Mail Queue vs baselines, same run (${suite.quick ? 'quick mode: not a measurement' : 'full run'}, ${escape(suite.startedAt)})</text>`,
    `<text x="10" y="42" fill="#555">Bar = ratio / target (inverted for ≤ targets); the line marks the target. Label: measured ratio, target.</text>`,
  ];
  rows.forEach((row, i) => {
    const y = 56 + i * ROW_HEIGHT;
    const a = attainment(row);
    const color = row.skipped ? '#bbb' : row.met ? '#2e8b57' : '#c0392b';
    parts.push(`<text x="10" y="${y + 15}">${escape(row.label.slice(0, 70))}</text>`);
    if (!row.skipped && Number.isFinite(a)) {
      parts.push(
        `<rect x="${x0}" y="${y + 3}" width="${(scale(a) - x0).toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="${color}"/>`,
      );
    }
    const unit = row.ratio && row.ratio.unit !== '×' ? ` ${row.ratio.unit}` : '×';
    const text = row.skipped
      ? 'skipped'
      : `${formatNumber(row.ratio?.median ?? Number.NaN)}${unit} (target ${row.target?.op} ${formatNumber(row.target?.value ?? Number.NaN)}${unit})`;
    parts.push(`<text x="${x0 + BAR_WIDTH + 8}" y="${y + 15}" fill="${color}">${escape(text)}</text>`);
  });
  const top = 52;
  const bottom = 56 + rows.length * ROW_HEIGHT;
  parts.push(
    `<line x1="${scale(1)}" y1="${top}" x2="${scale(1)}" y2="${bottom}" stroke="#000" stroke-dasharray="4 3"/>`,
  );
  parts.push(`<text x="${scale(1) - 14}" y="${bottom + 16}">target</text>`);
  parts.push(`<line x1="${x0}" y1="${top}" x2="${x0}" y2="${bottom}" stroke="#999"/>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
