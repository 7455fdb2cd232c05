import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteResult } from './results';
import { renderChart } from './svg-chart';
import { renderMarkdown, renderTable } from './table';

export const RESULTS_DIR = fileURLToPath(new URL('../../results', import.meta.url));

export interface WrittenFiles {
  json: string;
  latestJson: string;
  svg: string;
  table: string;
}

/**
 * Writes the run as JSON (timestamped, and `latest-<mode>.json`), the SVG
 * chart of ratios against targets, and the table as text and Markdown.
 */
export async function writeResults(suite: SuiteResult, dir = RESULTS_DIR): Promise<WrittenFiles> {
  await mkdir(dir, { recursive: true });
  const mode = suite.quick ? 'quick' : 'full';
  const stamp = suite.startedAt.replace(/[:.]/g, '-');
  const json = JSON.stringify(suite, null, 2) + '\n';
  const files: WrittenFiles = {
    json: join(dir, `${mode}-${stamp}.json`),
    latestJson: join(dir, `latest-${mode}.json`),
    svg: join(dir, `ratios-${mode}.svg`),
    table: join(dir, `table-${mode}.md`),
  };
  await writeFile(files.json, json);
  await writeFile(files.latestJson, json);
  await writeFile(files.svg, renderChart(suite));
  await writeFile(files.table, `${renderMarkdown(suite)}\n\n\`\`\`\n${renderTable(suite)}\n\`\`\`\n`);
  return files;
}
