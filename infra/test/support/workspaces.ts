import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './repo';

export interface Workspace {
  name: string;
  /** Relative to the repository root, e.g. `packages/queues`. */
  dir: string;
  dependencies: Record<string, string>;
}

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as Manifest;
}

/** The root package.json's workspaces (`apps/*`, `packages/*`, `tests`, …), by package name. */
export function workspaces(): Map<string, Workspace> {
  const result = new Map<string, Workspace>();
  for (const pattern of manifest('.').workspaces ?? []) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(REPO, pattern.slice(0, -2))).map((entry) => `${pattern.slice(0, -2)}/${entry}`)
      : [pattern];
    for (const dir of dirs) {
      if (!existsSync(join(REPO, dir, 'package.json'))) continue;
      const m = manifest(dir);
      if (m.name) result.set(m.name, { name: m.name, dir, dependencies: m.dependencies ?? {} });
    }
  }
  return result;
}

/** `name` and every workspace its production dependencies reach, transitively. */
export function productionClosure(name: string): Workspace[] {
  const all = workspaces();
  const seen = new Map<string, Workspace>();
  const visit = (current: string) => {
    const workspace = all.get(current);
    if (!workspace || seen.has(current)) return;
    seen.set(current, workspace);
    Object.keys(workspace.dependencies).forEach(visit);
  };
  visit(name);
  return [...seen.values()];
}
