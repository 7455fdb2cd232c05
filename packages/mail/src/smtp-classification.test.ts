import { describe, it, expect } from 'vitest';
import { DEFAULT_CLASSIFICATION_RULES } from './classification-rules';
import type { ClassificationRule } from './classification-rules';
import { classificationRules, classifySmtpReply, isSlowDown } from './smtp-classification';
import { REPLY_CORPUS } from './smtp-reply-corpus';

describe('classifySmtpReply with the default table', () => {
  it.each(REPLY_CORPUS)('$name → $disposition', ({ reply, disposition, suppress, rule, slowDown }) => {
    const result = classifySmtpReply(reply);
    expect({ disposition: result.disposition, suppress: result.suppress, rule: result.rule }).toEqual({
      disposition,
      suppress,
      rule,
    });
    if (slowDown !== undefined) expect(isSlowDown(result)).toBe(slowDown);
  });

  it('exercises every default rule, so none is dead', () => {
    const hit = new Set(REPLY_CORPUS.map((c) => classifySmtpReply(c.reply).rule));
    const unused = DEFAULT_CLASSIFICATION_RULES.map((r) => r.label ?? r.match).filter((r) => !hit.has(r));
    expect(unused).toEqual([]);
  });

  it('never suppresses unless the disposition is bounced', () => {
    const offending = DEFAULT_CLASSIFICATION_RULES.filter((r) => r.suppress && r.disposition !== 'bounced');
    expect(offending).toEqual([]);
  });

  it('reports a short reason with the code, and the parsed codes', () => {
    expect(classifySmtpReply('550 5.1.1 <x@example.org>: Recipient address rejected')).toMatchObject({
      code: 550,
      enhanced: '5.1.1',
      reason: 'mailbox does not exist (5.1.1)',
    });
    expect(classifySmtpReply('550 No such user').reason).toBe('mailbox unavailable (550)');
  });

  it('accepts a code with separate text', () => {
    expect(classifySmtpReply({ code: 550, text: '5.1.1 user unknown' })).toMatchObject({
      disposition: 'bounced',
      suppress: true,
      code: 550,
      enhanced: '5.1.1',
    });
    expect(classifySmtpReply({ code: 421, text: 'Too busy' }).rule).toBe('421');
  });

  it('defers a reply without any code rather than losing the message', () => {
    expect(classifySmtpReply('Connection closed unexpectedly')).toEqual({
      disposition: 'deferred',
      suppress: false,
      reason: 'unrecognised reply',
      rule: 'fallback',
      text: 'Connection closed unexpectedly',
    });
  });
});

describe('isSlowDown', () => {
  it('never asks to slow down for a permanent failure, whatever the text says', () => {
    expect(isSlowDown(classifySmtpReply('554 5.7.1 Too many connections, try again later'))).toBe(false);
    expect(isSlowDown(classifySmtpReply('550 rate limit exceeded'))).toBe(false);
  });
});

describe('custom rule tables', () => {
  it('puts overrides before the defaults', () => {
    const rules = classificationRules([
      {
        match: '5.7.1',
        disposition: 'deferred',
        suppress: false,
        reason: 'retry blocks',
        label: 'override:5.7.1',
      },
    ]);
    expect(rules).toHaveLength(DEFAULT_CLASSIFICATION_RULES.length + 1);
    expect(classifySmtpReply('550 5.7.1 blocked', rules)).toMatchObject({
      disposition: 'deferred',
      rule: 'override:5.7.1',
      reason: 'retry blocks (5.7.1)',
    });
    expect(classifySmtpReply('550 5.7.26 unauthenticated', rules).disposition).toBe('policy');
  });

  it('never lets a policy or deferred rule suppress', () => {
    const rules: ClassificationRule[] = [
      { match: '5xx', disposition: 'policy', suppress: true, reason: 'bad' },
    ];
    expect(classifySmtpReply('550 nope', rules).suppress).toBe(false);
  });

  it('treats a global regex in a rule as stateless', () => {
    const rules: ClassificationRule[] = [
      { match: '5xx', text: /spam/gi, disposition: 'policy', suppress: false, reason: 'spam' },
    ];
    expect(classifySmtpReply('550 spam', rules).rule).toBe('5xx');
    expect(classifySmtpReply('550 spam', rules).rule).toBe('5xx');
  });
});
