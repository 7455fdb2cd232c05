import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { QUICK } from '../src/config';
import { SCENARIOS, runSuite } from '../src/suite';
import type { Row, SuiteResult } from '../src/support/results';
import { writeResults } from '../src/support/write-results';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The quick mode of `npm run bench`: small counts, so the bench code cannot rot.
// It checks that every scenario runs and reports well-formed figures — never
// that targets are met (targets are for the full run; timings here are noise).
describe('bench quick mode', () => {
  let suite: SuiteResult;

  it('runs every scenario and writes JSON, the table and the chart', { timeout: 170_000 }, async () => {
    suite = await runSuite({ config: QUICK });
    const failures = suite.scenarios.filter((s) => s.error).map((s) => `${s.id}: ${s.error}`);
    expect(failures).toEqual([]);
    expect(suite.scenarios.map((s) => s.id)).toEqual([...SCENARIOS]);

    const dir = mkdtempSync(join(tmpdir(), 'mailq-bench-quick-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const files = await writeResults(suite, dir);
    const written = JSON.parse(readFileSync(files.json, 'utf8')) as SuiteResult;
    expect(written.scenarios).toHaveLength(SCENARIOS.length);
    expect(readFileSync(files.svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(existsSync(files.table)).toBe(true);
  });

  it('quotes every measured figure as finite, positive numbers against a baseline or target', () => {
    const rows: Row[] = suite.scenarios.flatMap((s) => s.rows);
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const row of rows.filter((r) => !r.skipped)) {
      const figures = [row.subject.median, row.ratio?.median, row.baseline?.median].filter(
        (v) => v !== undefined,
      );
      for (const value of figures) {
        expect(Number.isFinite(value), `${row.id}: ${value}`).toBe(true);
        // An idle fleet may rightly run no command at all in a one-second window.
        if (row.id.startsWith('idle-')) expect(value, row.id).toBeGreaterThanOrEqual(0);
        else expect(value, row.id).toBeGreaterThan(0);
      }
      expect(row.ratio, row.id).not.toBeNull();
    }
    const targets = rows.filter((r) => r.target).map((r) => r.id);
    for (const id of [
      'ingest-single-vs-add',
      'ingest-single-vs-ceiling',
      'ingest-batch-vs-addbulk',
      'e2e-vs-stock',
      'e2e-vs-postfix',
      'drain-large-vs-small',
      'commands-per-message',
      'idle-commands-per-second',
      `cluster-keys-p${QUICK.clusterPartitions}`,
      `cluster-commands-p${QUICK.clusterPartitions}`,
    ]) {
      expect(targets).toContain(id);
    }
    expect(targets.some((id) => id.startsWith('memory-'))).toBe(true);
  });
});
