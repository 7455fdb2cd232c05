import { ApiError, toValidationIssues } from './errors';
import { headerSafe } from './header-safety';
import * as v from 'valibot';
import { TEMPLATE_LIMITS } from './template-limits';

/** Every template id starts with this; names may not, so an id and a name are never confused. */
export const TEMPLATE_ID_PREFIX = 'tpl_';

/** What a template name is made of. */
export const TEMPLATE_NAME_PATTERN = new RegExp(`^[A-Za-z0-9_.-]{1,${TEMPLATE_LIMITS.maxNameChars}}$`);

const TemplateName = v.pipe(
  v.string('name must be a string'),
  v.regex(TEMPLATE_NAME_PATTERN, `name must be 1-${TEMPLATE_LIMITS.maxNameChars} of A-Z a-z 0-9 _ . -`),
  v.check(
    (s) => !s.startsWith(TEMPLATE_ID_PREFIX),
    `names starting with "${TEMPLATE_ID_PREFIX}" are reserved`,
  ),
);

/**
 * A Subject header line (RFC 5322 §2.1.1, CWE-93): the subject template obeys
 * it, and so must the subject it renders, whatever the variables put in.
 */
export const SubjectLine = v.pipe(
  headerSafe(TEMPLATE_LIMITS.maxSubjectChars, 'subject'),
  v.minLength(1, 'subject must not be empty'),
);
export type SubjectLine = v.InferOutput<typeof SubjectLine>;

function body(label: string) {
  return v.pipe(
    v.string(`${label} must be a string`),
    v.minLength(1, `${label} must not be empty`),
    v.maxLength(
      TEMPLATE_LIMITS.maxBodyChars,
      `${label} must be at most ${TEMPLATE_LIMITS.maxBodyChars} characters`,
    ),
  );
}

const Description = v.pipe(
  v.string('description must be a string'),
  v.maxLength(
    TEMPLATE_LIMITS.maxDescriptionChars,
    `description must be at most ${TEMPLATE_LIMITS.maxDescriptionChars} characters`,
  ),
);

/** `POST /v1/templates`. Unknown fields are refused so typos are not silently ignored. */
export const TemplateInput = v.pipe(
  v.strictObject({
    name: TemplateName,
    subject: SubjectLine,
    html: v.optional(body('html')),
    text: v.optional(body('text')),
    description: v.optional(Description),
  }),
  v.check((t) => t.html !== undefined || t.text !== undefined, 'a template needs html, text or both'),
);
export type TemplateInput = v.InferOutput<typeof TemplateInput>;

/**
 * `PATCH /v1/templates/:idOrName`: only the fields given change. `null` removes
 * html, text or description (the store refuses a result with neither body).
 */
export const TemplateUpdate = v.pipe(
  v.strictObject({
    name: v.optional(TemplateName),
    subject: v.optional(SubjectLine),
    html: v.optional(v.nullable(body('html'))),
    text: v.optional(v.nullable(body('text'))),
    description: v.optional(v.nullable(Description)),
  }),
  v.check((u) => Object.values(u).some((value) => value !== undefined), 'an update needs at least one field'),
);
export type TemplateUpdate = v.InferOutput<typeof TemplateUpdate>;

/**
 * A stored template as the API shows it. Records read back from Redis are
 * parsed with it again: data in Redis outlives deploys. Unknown fields are
 * dropped rather than refused, so a rollback can read a newer deploy's records.
 */
export const Template = v.object({
  id: v.pipe(v.string(), v.regex(/^tpl_[A-Za-z0-9_-]{1,64}$/, 'id must be a template id')),
  name: TemplateName,
  subject: SubjectLine,
  html: v.optional(body('html')),
  text: v.optional(body('text')),
  description: v.optional(Description),
  created_at: v.pipe(v.string(), v.isoTimestamp()),
  updated_at: v.pipe(v.string(), v.isoTimestamp()),
});
export type Template = v.InferOutput<typeof Template>;

/** A JSON value: what variables may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValue: v.GenericSchema<JsonValue> = v.lazy(() =>
  v.union([
    v.string(),
    v.number(),
    v.boolean(),
    v.null(),
    v.array(JsonValue),
    v.record(v.string(), JsonValue),
  ]),
);

/**
 * The variables of one render: a JSON object, bounded in keys, bytes and
 * nesting. Depth and size are checked before the recursive schema runs, so a
 * hostile 64 KiB of `[[[[…` cannot exhaust the stack. Keys named `__proto__`,
 * `constructor` or `prototype` are dropped (valibot never copies them).
 */
export const TemplateVariables = v.pipe(
  // valibot's record() takes an array for an object: refuse it first.
  v.custom<Record<string, unknown>>(
    (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
    'variables must be an object',
  ),
  v.maxEntries(TEMPLATE_LIMITS.maxVariableKeys, `at most ${TEMPLATE_LIMITS.maxVariableKeys} variables`),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    if (!withinDepth(dataset.value, TEMPLATE_LIMITS.maxVariablesDepth)) {
      addIssue({ message: `variables must nest at most ${TEMPLATE_LIMITS.maxVariablesDepth} levels deep` });
    } else if (jsonBytes(dataset.value) > TEMPLATE_LIMITS.maxVariablesBytes) {
      addIssue({ message: `variables must be at most ${TEMPLATE_LIMITS.maxVariablesBytes} bytes as JSON` });
    }
  }),
  v.record(v.string(), JsonValue),
);
export type TemplateVariables = v.InferOutput<typeof TemplateVariables>;

function withinDepth(root: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[root, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth) return false;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return true;
}

/** UTF-8 size of the JSON text; 0 for what JSON cannot hold (a BigInt), which the last schema then names. */
function jsonBytes(value: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(value)).length;
  } catch {
    return 0;
  }
}

/** Parses `input` or throws `ApiError('invalid_request')` with one issue per problem. */
export function parseOrThrow<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  what: string,
): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new ApiError('invalid_request', `invalid ${what}`, toValidationIssues(result.issues));
  }
  return result.output;
}
