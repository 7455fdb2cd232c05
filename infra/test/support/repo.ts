import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** The repository root and the infra folder, wherever the tests run from. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const INFRA = join(REPO, 'infra');

export function repoPath(...parts: string[]): string {
  return join(REPO, ...parts);
}

export function readRepoFile(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/**
 * Every YAML document of a file, as plain data. A syntax error, a duplicate
 * key or an unresolved alias throws, naming the file: such a file is broken
 * whatever it says.
 */
export function parseYamlDocuments(text: string, where: string): unknown[] {
  return parseAllDocuments(text, { merge: true, uniqueKeys: true })
    .map((doc) => {
      if (doc.errors.length > 0) {
        throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
      }
      return doc.toJS({ maxAliasCount: 100 }) as unknown;
    })
    .filter((value) => value !== null && value !== undefined);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` in nested records and arrays, or undefined. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string') current = current[key];
    else return undefined;
  }
  return current;
}

export function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  return value;
}

export function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list, got ${JSON.stringify(value)}`);
  return value;
}
