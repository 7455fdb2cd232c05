import * as v from 'valibot';

/** Bad configuration: the message names every offending variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a valibot schema, once, at start. A bad
 * value throws a ConfigError naming the variable, e.g.
 * `Invalid configuration: PORT: must be a port number (1-65535)`.
 */
export function parseConfig<TSchema extends v.GenericSchema<Record<string, string | undefined>, unknown>>(
  schema: TSchema,
  env: Record<string, string | undefined>,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, env);
  if (result.success) return result.output;
  const lines = result.issues.map((issue) => {
    const name = (issue.path ?? []).map((p) => String(p.key)).join('.') || 'environment';
    return `${name}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}

/** An optional integer variable with bounds and a default. */
export function intVar(defaultValue: number, min: number, max: number, what: string) {
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, `must be ${what}`),
      v.transform(Number),
      v.minValue(min, `must be ${what}`),
      v.maxValue(max, `must be ${what}`),
    ),
    String(defaultValue),
  );
}
