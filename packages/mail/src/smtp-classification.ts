import { DEFAULT_CLASSIFICATION_RULES, keywords } from './classification-rules';
import type { ClassificationRule, Disposition } from './classification-rules';
import { compileReplyPattern, matchesReplyPattern } from './reply-pattern';
import { parseSmtpReply } from './smtp-reply';

/** The verdict on one SMTP reply, as recorded on the message timeline. */
export interface Classification {
  disposition: Disposition;
  code?: number;
  enhanced?: string;
  /** Add the recipient to the suppression list. Only ever true for `bounced`. */
  suppress: boolean;
  /** Short human reason with the code, e.g. "mailbox does not exist (5.1.1)". */
  reason: string;
  /** The table entry that matched (its label or pattern), or `"fallback"`. */
  rule: string;
  /** The reply text without codes, kept for {@link isSlowDown} and the timeline. */
  text: string;
}

/**
 * Operator overrides first, then the defaults: the first matching rule wins, so an override
 * for "5.7.1" shadows the default "5.7.*" without editing the table.
 */
export function classificationRules(overrides: readonly ClassificationRule[] = []): ClassificationRule[] {
  return [...overrides, ...DEFAULT_CLASSIFICATION_RULES];
}

/**
 * Classifies an SMTP reply through the rule table (first match wins).
 *
 * Accepts a raw reply (`"550-5.1.1 ...\r\n550 5.1.1 ..."`, nodemailer's `response`) or a code
 * with its text. A reply nothing matches — no code at all, or a table without catch-alls — is
 * `deferred`: retries are bounded by the job's attempts, while a wrong bounce loses mail.
 */
export function classifySmtpReply(
  reply: string | { code?: number; text: string },
  rules: readonly ClassificationRule[] = DEFAULT_CLASSIFICATION_RULES,
): Classification {
  const parsed = parseSmtpReply(typeof reply === 'string' ? reply : reply.text);
  const code = typeof reply === 'string' ? parsed.code : (reply.code ?? parsed.code);
  let enhanced = parsed.enhanced;
  // RFC 2034 §4 requires the enhanced class to agree with the basic code. When a server
  // breaks that, the basic code wins: it is what RFC 5321 §4.2.1 tells clients to act on.
  if (code !== undefined && enhanced !== undefined && enhanced[0] !== String(code)[0]) {
    enhanced = undefined;
  }

  const found = rules.find(
    (rule) =>
      matchesReplyPattern(compileReplyPattern(rule.match), code, enhanced) &&
      // search(), unlike test(), ignores lastIndex, so a /g regex in a rule stays stateless.
      (rule.text === undefined || parsed.text.search(rule.text) !== -1),
  );
  const shown = enhanced ?? (code !== undefined ? String(code) : undefined);
  const base = found?.reason ?? 'unrecognised reply';

  const result: Classification = {
    disposition: found?.disposition ?? 'deferred',
    // Suppression is a statement about the address; only a plain bounce can make it.
    suppress: found !== undefined && found.suppress && found.disposition === 'bounced',
    reason: shown !== undefined ? `${base} (${shown})` : base,
    rule: found ? (found.label ?? found.match) : 'fallback',
    text: parsed.text,
  };
  if (code !== undefined) result.code = code;
  if (enhanced !== undefined) result.enhanced = enhanced;
  return result;
}

// Words receivers use when they throttle a sender rather than refuse a message.
const SLOW_DOWN_TEXT = keywords([
  'rate',
  'rate[- ]limit(ed|ing)?',
  'too many (connections|messages|sessions|concurrent)',
  'throttl\\w*',
  'try (again )?later',
  'temporarily deferred',
  'slow down',
]);
const GREYLISTING = /\bgr[ea]ylist/i;

/**
 * True when a deferral asks us to send more slowly to that destination, so the sender lowers
 * its per-destination rate instead of only retrying the one message. The rule:
 * - only `deferred` results — a permanent failure says nothing about pace;
 * - never greylisting: it is keyed on sender/IP/recipient, a slower rate does not help;
 * - 421 (RFC 5321 §3.8: the server is closing the channel, typically shedding load), or any
 *   4.7.x (Yahoo 421 4.7.0 [TSS04], Gmail 4.7.28, Outlook 4.7.650 are reputation throttles),
 *   or a 4xx whose text says rate / too many / throttled / try again later.
 */
export function isSlowDown(classification: Classification): boolean {
  if (classification.disposition !== 'deferred') return false;
  if (GREYLISTING.test(classification.text)) return false;
  if (classification.code === 421) return true;
  if (classification.enhanced?.startsWith('4.7.')) return true;
  return SLOW_DOWN_TEXT.test(classification.text);
}
