import * as v from 'valibot';
import { normalizeDomain, type DestinationOverrides, type DestinationPolicy } from './destination-policy';

const PartialPolicy = v.strictObject(
  {
    maxConnections: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.integer('must be a whole number'),
        v.minValue(1, 'must be at least 1'),
      ),
    ),
    messagesPerSecond: v.optional(
      v.pipe(
        v.number('must be a number'),
        v.finite('must be finite'),
        v.gtValue(0, 'must be greater than 0'),
      ),
    ),
  },
  'must be an object with maxConnections and/or messagesPerSecond only',
);

const Overrides = v.record(v.string(), PartialPolicy);

/** What a failed parse says, one line per problem, prefixed by the variable name. */
export class DestinationOverridesError extends Error {
  override readonly name = 'DestinationOverridesError';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = v.getDotPath(issue);
  const received = issue.received === undefined ? '' : ` (got ${issue.received})`;
  return `${path ?? '(root)'}: ${issue.message}${received}`;
}

/**
 * Parses per-destination limit overrides, e.g. the `DESTINATION_LIMITS` env var:
 * `{"example.com":{"maxConnections":2,"messagesPerSecond":5},"*":{"messagesPerSecond":50}}`.
 * Keys are domains (normalised like {@link normalizeDomain}) or `*` for every
 * domain without its own entry. Unset or blank input means no overrides.
 * Throws {@link DestinationOverridesError} listing every problem, so a process
 * refuses to start on a typo instead of silently using defaults.
 */
export function parseDestinationOverrides(
  json: string | undefined,
  source = 'DESTINATION_LIMITS',
): DestinationOverrides {
  if (json === undefined || json.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new DestinationOverridesError(`${source} is not valid JSON: ${messageOf(error)}`);
  }
  // valibot's record() accepts arrays (they are objects), which would turn `[{…}]` into domain "0".
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DestinationOverridesError(`${source} must be a JSON object keyed by domain or "*"`);
  }
  const parsed = v.safeParse(Overrides, raw);
  if (!parsed.success) {
    const lines = parsed.issues.map((issue) => `  ${describeIssue(issue)}`);
    throw new DestinationOverridesError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  // A Map, not `key in object`: a domain key such as "constructor" must not hit Object.prototype.
  const result = new Map<string, Partial<DestinationPolicy>>();
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed.output)) {
    try {
      const domain = key === '*' ? key : normalizeDomain(key);
      if (result.has(domain))
        problems.push(`  ${JSON.stringify(key)}: duplicates another entry for ${domain}`);
      result.set(domain, value);
    } catch (error) {
      problems.push(`  ${JSON.stringify(key)}: ${messageOf(error)}`);
    }
  }
  if (problems.length > 0)
    throw new DestinationOverridesError(`${source} is invalid:\n${problems.join('\n')}`);
  return Object.fromEntries(result);
}
