/** A figure for people: thousands grouped above 100, three significant digits below. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(2);
}

/** `median [min–max]`, or just the median when there was one round. */
export function formatSpread(median: number, min: number, max: number, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  if (!Number.isFinite(min) || !Number.isFinite(max) || min === max) return `${formatNumber(median)}${u}`;
  return `${formatNumber(median)}${u} [${formatNumber(min)}–${formatNumber(max)}]`;
}
