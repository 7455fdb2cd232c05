import { ConfigError } from '@mailq/contracts';
import { DISPOSITIONS } from './classification-rules';
import type { ClassificationRule, Disposition } from './classification-rules';
import { compileReplyPattern, replyPatternRank } from './reply-pattern';

const OBJECT_KEYS = new Set(['disposition', 'suppress', 'reason', 'text']);

/**
 * Parses operator overrides of the classification table, e.g. the environment variable
 * `SMTP_CLASSIFICATION_OVERRIDES='{"5.7.1":"deferred","5.2.2":{"disposition":"bounced","suppress":true}}'`.
 *
 * Keys are reply patterns (`"5.1.1"`, `"5.7.*"`, `"550"`, `"5xx"`); values a disposition or
 * `{ disposition, suppress?, reason?, text? }` where `text` is a case-insensitive regular
 * expression the reply text must match. `suppress` defaults to false and is only accepted with
 * `bounced`. A blank string means no overrides.
 *
 * The rules come back most specific first (see `replyPatternRank`), because JSON key order
 * cannot be relied on — JavaScript lists integer-like keys such as "550" before all others.
 * They go before the defaults (see `classificationRules`).
 *
 * @throws ConfigError naming the offending key, so the process refuses to start on bad config.
 */
export function parseClassificationOverrides(json: string): ClassificationRule[] {
  if (json.trim() === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw invalid(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(data)) throw invalid('expected a JSON object of pattern → disposition');
  const rules = Object.entries(data).map(([match, value]) => overrideRule(match, value));
  // Array.prototype.sort is stable, so equal ranks keep their key order.
  return rules.sort((a, b) => rank(a) - rank(b));
}

// A text condition narrows a pattern, so it goes before the same pattern without one.
function rank(rule: ClassificationRule): number {
  return replyPatternRank(compileReplyPattern(rule.match)) * 2 + (rule.text ? 0 : 1);
}

function overrideRule(match: string, value: unknown): ClassificationRule {
  try {
    compileReplyPattern(match);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  }
  const label = `override:${match}`;
  if (typeof value === 'string') {
    const disposition = dispositionOf(match, value);
    return { match, disposition, suppress: false, reason: `operator override: ${disposition}`, label };
  }
  if (!isRecord(value)) throw invalid(`"${match}": expected a disposition or an object`);

  const unknown = Object.keys(value).filter((key) => !OBJECT_KEYS.has(key));
  if (unknown.length > 0) throw invalid(`"${match}": unknown field(s) ${unknown.join(', ')}`);
  const disposition = dispositionOf(match, value.disposition);
  const { suppress = false, reason = `operator override: ${disposition}`, text } = value;
  if (typeof suppress !== 'boolean') throw invalid(`"${match}": suppress must be true or false`);
  // Only a plain bounce can say the address is bad; `policy` exists precisely so that
  // reputation blocks never suppress.
  if (suppress && disposition !== 'bounced') {
    throw invalid(`"${match}": suppress is only allowed with disposition "bounced"`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw invalid(`"${match}": reason must be a non-empty string`);
  }
  const rule: ClassificationRule = { match, disposition, suppress, reason, label };
  if (text !== undefined) rule.text = textPattern(match, text);
  return rule;
}

function dispositionOf(match: string, value: unknown): Disposition {
  const disposition = DISPOSITIONS.find((candidate) => candidate === value);
  if (disposition === undefined) {
    throw invalid(
      `"${match}": unknown disposition ${JSON.stringify(value)}, use ${DISPOSITIONS.join(' | ')}`,
    );
  }
  return disposition;
}

function textPattern(match: string, text: unknown): RegExp {
  if (typeof text !== 'string' || text === '') throw invalid(`"${match}": text must be a non-empty string`);
  try {
    return new RegExp(text, 'i');
  } catch (error) {
    throw invalid(`"${match}": text is not a valid regular expression (${String(error)})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(detail: string): ConfigError {
  return new ConfigError(`Invalid SMTP classification overrides: ${detail}`);
}
