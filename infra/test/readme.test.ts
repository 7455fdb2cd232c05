import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INFRA, readRepoFile, repoPath } from './support/repo';

const readme = readRepoFile('infra', 'README.md');

describe('infra/README.md', () => {
  it('names only paths that exist', () => {
    const paths = [...readme.matchAll(/`((?:infra|apps|packages|tests)\/[\w./-]+?)`/g)].map(
      (m) => m[1] ?? '',
    );
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths.filter((p) => !p.includes('…') && !p.includes('*'))) {
      // `node-700x.conf` stands for the six node files.
      expect(existsSync(repoPath(path.replace(/\/$/, '').replace('700x', '7000'))), path).toBe(true);
    }
  });

  it('documents every deployment file', () => {
    for (const dir of ['docker', 'k8s', 'aws']) {
      const files = readdirSync(`${INFRA}/${dir}`, { recursive: true, encoding: 'utf8' }).filter((f) =>
        /\.(ya?ml|Dockerfile|sh)$/.test(f),
      );
      for (const file of files) {
        const name = file.split('/').at(-1) ?? file;
        const folder = file.includes('/') ? `infra/${dir}/${file.split('/')[0]}/` : name;
        expect(readme.includes(name) || readme.includes(folder), `infra/${dir}/${file}`).toBe(true);
      }
    }
  });

  it('quotes the error code, status and Retry-After the API really answers with', () => {
    expect(readRepoFile('packages', 'contracts', 'src', 'errors.ts')).toMatch(/storage_unavailable: 503/);
    expect(readRepoFile('apps', 'ingest', 'src', 'middleware', 'error-handler.ts')).toMatch(
      /storage_unavailable'\) c\.header\('Retry-After', '5'\)/,
    );
    expect(readRepoFile('apps', 'relay', 'src', 'redis-health.ts')).toContain(
      '`cluster_state:${state} slots_ok:${slots}`',
    );
    expect(readme).toContain('`Retry-After: 5`');
    expect(readme).toContain('cluster_state:<state> slots_ok:<n>');
  });
});
