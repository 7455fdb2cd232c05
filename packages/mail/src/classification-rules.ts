/**
 * What a delivery attempt's reply means for the message:
 * - `delivered` — the receiver took responsibility (2xx);
 * - `deferred` — transient, retry later (4xx);
 * - `bounced` — permanent, stop; `suppress` says whether the address itself is bad;
 * - `policy` — permanent rejection for policy or sender reputation. The message is bounced, but
 *   the address is fine, so a `policy` result must never add it to the suppression list.
 */
export type Disposition = 'delivered' | 'deferred' | 'bounced' | 'policy';

/** Every {@link Disposition}, for validating operator input. */
export const DISPOSITIONS: readonly Disposition[] = ['delivered', 'deferred', 'bounced', 'policy'];

/** One entry of the classification table; the first rule that matches a reply wins. */
export interface ClassificationRule {
  /** Code pattern: `"5.1.1"`, `"5.7.*"`, `"4.*.*"`, `"550"` or `"5xx"` (see `compileReplyPattern`). */
  match: string;
  /** When set, the reply text must also match (case-insensitive keyword rules). */
  text?: RegExp;
  disposition: Disposition;
  /** Add the recipient to the suppression list; only honoured for `bounced`. */
  suppress: boolean;
  /** Short human reason; the matched code is appended, e.g. "mailbox does not exist (5.1.1)". */
  reason: string;
  /** Name shown in the timeline; defaults to `match`. */
  label?: string;
}

/** A case-insensitive whole-word regex over alternatives, so keyword lists stay readable. */
export function keywords(alternatives: string[]): RegExp {
  return new RegExp(`\\b(${alternatives.join('|')})\\b`, 'i');
}

// Providers that reject for reputation or content often say so only in words, with a bare 550
// or 554 or a generic 5.0.0 (Spamhaus/Barracuda listings, "message looks like spam"). Relay
// denials mean the receiver does not host the domain, not that the mailbox is gone.
const POLICY_TEXT = keywords([
  'spam\\w*',
  '(black|block|deny) ?list(ed)?',
  'blocked',
  'banned',
  'reputation',
  'polic(y|ies)',
  'spamhaus|spamcop|barracuda|sorbs|dnsbl|rbl',
  'relay(ing)?( access)? (is )?denied|unable to relay|not permitted to relay',
]);

function rule(
  match: string,
  disposition: Disposition,
  suppress: boolean,
  reason: string,
  extra: Pick<ClassificationRule, 'text' | 'label'> = {},
): ClassificationRule {
  return Object.freeze({ match, disposition, suppress, reason, ...extra });
}

/**
 * The built-in table, most specific first. Suppression is reserved for replies that say the
 * address itself is invalid: a wrong suppression silently drops a user's future mail, a missed
 * one costs one more bounce. Every other permanent failure bounces the message only.
 *
 * RFC 3463 §3.1 `x.0.0` ("other undefined status") has no entry on purpose: it adds nothing to the
 * basic code, so such replies fall through to the RFC 5321 basic-code rules.
 */
export const DEFAULT_CLASSIFICATION_RULES: readonly ClassificationRule[] = Object.freeze([
  rule('2xx', 'delivered', false, 'accepted'),

  // Transient (RFC 3463 §2: class 4 is a persistent transient failure). Mailbox full may clear, 4.7.x is
  // greylisting or rate limiting by reputation; both are retried, never suppressed.
  rule('4.2.2', 'deferred', false, 'mailbox full'),
  rule('4.7.*', 'deferred', false, 'temporarily rejected by policy (greylisting or rate limit)'),
  rule('4.*.*', 'deferred', false, 'temporary failure'),

  // X.1 addressing status (RFC 3463 §3.2).
  rule('5.1.1', 'bounced', true, 'mailbox does not exist'),
  rule('5.1.2', 'bounced', true, 'destination domain does not exist'),
  rule('5.1.3', 'bounced', true, 'recipient address syntax invalid'),
  rule('5.1.6', 'bounced', true, 'mailbox has moved'),
  // RFC 7505 §4.2 defines 5.1.10 for a null MX domain; Exchange Online also uses it for
  // unknown recipients. The address cannot receive mail either way.
  rule('5.1.10', 'bounced', true, 'recipient address does not accept mail'),
  // 5.1.7/5.1.8 reject OUR envelope sender; the recipient is innocent.
  rule('5.1.7', 'bounced', false, 'sender address rejected'),
  rule('5.1.8', 'bounced', false, 'sender domain rejected'),
  rule('5.1.*', 'bounced', false, 'address rejected'),

  // X.2 mailbox status (RFC 3463 §3.3). Full mailboxes are treated as soft: the owner may clear them.
  rule('5.2.1', 'bounced', true, 'mailbox disabled'),
  rule('5.2.2', 'bounced', false, 'mailbox full'),
  rule('5.2.3', 'bounced', false, 'message exceeds mailbox size limit'),
  rule('5.2.*', 'bounced', false, 'mailbox unavailable'),

  // X.7 security or policy: blocklists, DMARC/authentication, relay denied, reputation. The
  // keyword rule sits below the X.1/X.2 rules — a precise mailbox code beats prose — and above
  // the vaguer X.3–X.6 and basic-code rules, which providers reuse for spam rejections.
  rule('5.7.*', 'policy', false, 'rejected by policy or reputation'),
  rule('5xx', 'policy', false, 'rejected by policy or reputation', { text: POLICY_TEXT, label: '5xx+text' }),

  // X.3 mail system, X.4 routing/DNS, X.5 protocol, X.6 content: faults of a message, the
  // receiver's setup or ours — none proves the address invalid. (Exchange Online answers
  // unknown recipients with 550 5.4.1; operators who rely on that can override "5.4.1".)
  rule('5.3.4', 'bounced', false, 'message too big for system'),
  rule('5.3.*', 'bounced', false, 'receiving mail system error'),
  rule('5.4.*', 'bounced', false, 'routing or DNS failure'),
  rule('5.5.*', 'bounced', false, 'SMTP protocol error'),
  rule('5.6.*', 'bounced', false, 'message content rejected'),

  // RFC 5321 §4.2.3 basic codes, for servers without enhanced codes (and x.0.0).
  rule('550', 'bounced', true, 'mailbox unavailable'),
  rule('551', 'bounced', true, 'user not local'),
  // 552 is storage exceeded (full mailbox or oversized message), 554 a catch-all often used for
  // content and policy rejections: neither proves the address bad.
  rule('552', 'bounced', false, 'exceeded storage allocation'),
  rule('553', 'bounced', true, 'mailbox name not allowed'),
  rule('554', 'bounced', false, 'transaction failed'),
  // RFC 7504 §3: the domain does not accept mail, the basic-code twin of a null MX.
  rule('556', 'bounced', true, 'domain does not accept mail'),
  rule('421', 'deferred', false, 'service not available'),
  rule('450', 'deferred', false, 'mailbox unavailable'),
  rule('451', 'deferred', false, 'local error in processing'),
  rule('452', 'deferred', false, 'insufficient system storage'),
  rule('4xx', 'deferred', false, 'temporary failure'),
  rule('5xx', 'bounced', false, 'permanent failure'),
]);
