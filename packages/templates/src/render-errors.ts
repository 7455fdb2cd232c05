/** A variable a template used but the variables did not provide. */
export interface MissingVariable {
  /** The expression as the template wrote it (`user.name`), or Handlebars' last segment. */
  name: string;
  /** `line L, column C` in the template part, 1-based. */
  at: string;
}

// Handlebars' strict mode throws `"name" not defined in <parent>` (4.7
// runtime `strict()`), naming only the last segment that failed to resolve.
const NOT_DEFINED = /^"(.+)" not defined in /;
// A path expression at the error's position: segments, `[literal segments]`,
// `../`, `@data` and `this`, up to the first space, `}`, `~` or bracket.
const PATH_EXPRESSION = /^(?:\[[^\]]*\]|[^\s}~()[\]|=])+/;

/**
 * Recognises Handlebars' strict-mode error for a missing variable and recovers
 * the whole expression from the source at the error's location, so the
 * message says `user.name` rather than `name`. Null for any other error.
 */
export function missingVariable(source: string, error: unknown): MissingVariable | null {
  if (!(error instanceof Error)) return null;
  const segment = NOT_DEFINED.exec(error.message)?.[1];
  if (segment === undefined) return null;
  const line = 'lineNumber' in error && typeof error.lineNumber === 'number' ? error.lineNumber : undefined;
  const column = 'column' in error && typeof error.column === 'number' ? error.column : undefined;
  if (line === undefined || column === undefined) return { name: segment, at: 'an unknown position' };
  const expression = PATH_EXPRESSION.exec(source.split('\n')[line - 1]?.slice(column) ?? '')?.[0];
  return {
    name: expression?.includes(segment) ? expression : segment,
    at: `line ${line}, column ${column + 1}`,
  };
}
