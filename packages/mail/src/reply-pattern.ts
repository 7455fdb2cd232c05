/**
 * The code patterns a classification rule can name. Two shapes, so the table can speak both
 * RFC 3463 (enhanced) and RFC 5321 (basic) codes:
 *
 * - enhanced `class.subject.detail`, subject and detail a number or `*`: `"5.1.1"`, `"5.7.*"`,
 *   `"4.*.*"`. Matches only replies that carry an enhanced code.
 * - basic `"550"` or a whole class `"5xx"`. Matches the basic code; `"5xx"` also matches a
 *   reply that has only an enhanced code of that class.
 */
export type ReplyPattern =
  | { kind: 'enhanced'; cls: string; subject: string; detail: string }
  | { kind: 'basic'; code: string }
  | { kind: 'class'; cls: string };

const ENHANCED = /^([245])\.(\d{1,3}|\*)\.(\d{1,3}|\*)$/;
const BASIC = /^[2-5]\d\d$/;
const CLASS = /^([2-5])xx$/i;

/**
 * Compiles a rule's `match` string, throwing on anything outside the grammar above so a typo
 * in an operator override stops the process at start instead of silently never matching.
 */
export function compileReplyPattern(match: string): ReplyPattern {
  const enhanced = ENHANCED.exec(match);
  if (enhanced) {
    const [, cls = '', subject = '', detail = ''] = enhanced;
    // "5.*.1" would name the same detail across unrelated subjects; RFC 3463 §3 defines detail
    // codes per subject, so a wildcard subject only makes sense with a wildcard detail.
    if (subject === '*' && detail !== '*') throw new Error(`Invalid reply pattern "${match}"`);
    return { kind: 'enhanced', cls, subject: strip(subject), detail: strip(detail) };
  }
  if (BASIC.test(match)) return { kind: 'basic', code: match };
  const cls = CLASS.exec(match);
  if (cls?.[1]) return { kind: 'class', cls: cls[1] };
  throw new Error(
    `Invalid reply pattern "${match}": use an enhanced code ("5.1.1", "5.7.*", "4.*.*"), ` +
      `a basic code ("550") or a class ("5xx")`,
  );
}

/** Tests a compiled pattern against a reply's basic and enhanced codes. */
export function matchesReplyPattern(pattern: ReplyPattern, code?: number, enhanced?: string): boolean {
  switch (pattern.kind) {
    case 'basic':
      return code !== undefined && String(code) === pattern.code;
    case 'class': {
      const cls = code !== undefined ? String(code)[0] : enhanced?.[0];
      return cls === pattern.cls;
    }
    case 'enhanced': {
      if (enhanced === undefined) return false;
      const [cls, subject, detail] = enhanced.split('.').map(strip);
      return (
        cls === pattern.cls &&
        (pattern.subject === '*' || subject === pattern.subject) &&
        (pattern.detail === '*' || detail === pattern.detail)
      );
    }
  }
}

/**
 * Specificity of a pattern, 0 = most specific: enhanced exact, `x.y.*`, `x.*.*`, basic exact,
 * class. Enhanced codes outrank basic ones because they say more (RFC 3463 §1).
 */
export function replyPatternRank(pattern: ReplyPattern): number {
  switch (pattern.kind) {
    case 'enhanced':
      return pattern.subject === '*' ? 2 : pattern.detail === '*' ? 1 : 0;
    case 'basic':
      return 3;
    case 'class':
      return 4;
  }
}

// "5.01.001" and "5.1.1" are the same code; compare numbers, not strings.
function strip(part: string): string {
  return part === '*' ? part : String(Number(part));
}
