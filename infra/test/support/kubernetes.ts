import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { INFRA, REPO, isRecord, parseYamlDocuments } from './repo';

export interface Manifest {
  /** `infra/k8s/app/api.yaml#2` */
  where: string;
  file: string;
  doc: Record<string, unknown>;
}

/** Every document of every YAML file under infra/k8s (recursively). */
export function loadManifests(root = join(INFRA, 'k8s')): Manifest[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  return files.flatMap((name) => {
    const file = relative(REPO, join(root, name));
    return parseManifests(readFileSync(join(root, name), 'utf8'), file);
  });
}

export function parseManifests(text: string, file: string): Manifest[] {
  return parseYamlDocuments(text, file).map((doc, index) => {
    if (!isRecord(doc)) throw new Error(`${file}#${index + 1}: not a mapping`);
    return { where: `${file}#${index + 1}`, file, doc };
  });
}

/**
 * The package that models a kind: kubernetes-models for the built-in API
 * (its validators are compiled from Kubernetes' OpenAPI schemas), and
 * @kubernetes-models/keda for KEDA (compiled from KEDA's CRD schemas).
 */
function modelModule(doc: Record<string, unknown>): string {
  const apiVersion = String(doc['apiVersion']);
  const kind = String(doc['kind']);
  if (!/^[\w.]+(\/\w+)?$/.test(apiVersion) || !/^\w+$/.test(kind)) throw new Error(`bad apiVersion/kind`);
  if (apiVersion.startsWith('keda.sh/')) return `@kubernetes-models/keda/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

interface Validatable {
  validate(): void;
}

function isModelClass(value: unknown): value is new (data: unknown) => Validatable {
  return (
    typeof value === 'function' && typeof (value.prototype as Partial<Validatable>).validate === 'function'
  );
}

/** The schema's verdict on one manifest: types, required fields, enums, formats. */
export async function schemaProblems(manifest: Manifest): Promise<string[]> {
  let module: Record<string, unknown>;
  try {
    module = (await import(modelModule(manifest.doc))) as Record<string, unknown>;
  } catch {
    return [
      `${manifest.where}: no schema for ${String(manifest.doc['apiVersion'])} ${String(manifest.doc['kind'])}`,
    ];
  }
  const Model = module[String(manifest.doc['kind'])];
  if (!isModelClass(Model)) return [`${manifest.where}: no model for ${String(manifest.doc['kind'])}`];
  try {
    new Model(manifest.doc).validate();
    return [];
  } catch (error) {
    return [`${manifest.where}: ${(error as Error).message}`];
  }
}

// The library and model declaration files, parsed once for every check of a run.
const parsedFiles = new Map<string, ts.SourceFile>();
let previousProgram: ts.Program | undefined;

/**
 * Fields the schema does not know. Kubernetes' OpenAPI schemas leave objects
 * open, so the validators above accept a misspelt `livenesProbe`; the API
 * server (strict field validation) and kubeconform -strict refuse it. The
 * same models' TypeScript types are closed, so each manifest is compiled as an
 * object literal of its kind's type: an unknown or mistyped field is an
 * excess-property or type error.
 */
export function fieldProblems(manifests: Manifest[]): string[] {
  let source = '';
  manifests.forEach(({ doc }, i) => {
    source += `import type { I${String(doc['kind'])} as T${i} } from '${modelModule(doc)}';\n`;
  });
  const spans: Array<{ start: number; where: string }> = [];
  manifests.forEach(({ doc, where }, i) => {
    spans.push({ start: source.length, where });
    source += `export const m${i}: T${i} = ${JSON.stringify(doc, null, 2)};\n`;
  });
  const fileName = join(INFRA, 'test', '__manifests__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    if (name === fileName) return ts.createSourceFile(name, source, language);
    const parsed = parsedFiles.get(name) ?? getSourceFile.call(host, name, language, ...rest);
    if (parsed) parsedFiles.set(name, parsed);
    return parsed;
  };
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? source : readFile.call(host, name));
  const program = ts.createProgram({ rootNames: [fileName], options, host, oldProgram: previousProgram });
  previousProgram = program;
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file?.fileName !== fileName || diagnostic.start === undefined) return message;
    const span = spans.filter((s) => s.start <= (diagnostic.start ?? 0)).at(-1);
    const lineStart = source.lastIndexOf('\n', diagnostic.start) + 1;
    const line = source.slice(lineStart, source.indexOf('\n', diagnostic.start)).trim();
    return `${span?.where ?? 'imports'}: ${message} (at ${line})`;
  });
}
