import { describe, it, expect } from 'vitest';
import { ConfigError } from '@mailq/contracts';
import { parseClassificationOverrides } from './classification-overrides';
import { classificationRules, classifySmtpReply } from './smtp-classification';

describe('parseClassificationOverrides', () => {
  it('parses the documented example into rules', () => {
    const rules = parseClassificationOverrides(
      '{"5.7.1":"deferred","5.2.2":{"disposition":"bounced","suppress":true}}',
    );
    expect(rules).toEqual([
      {
        match: '5.7.1',
        disposition: 'deferred',
        suppress: false,
        reason: 'operator override: deferred',
        label: 'override:5.7.1',
      },
      {
        match: '5.2.2',
        disposition: 'bounced',
        suppress: true,
        reason: 'operator override: bounced',
        label: 'override:5.2.2',
      },
    ]);
  });

  it('changes classification when placed before the defaults', () => {
    const rules = classificationRules(
      parseClassificationOverrides('{"5.7.1":"deferred","5.2.2":{"disposition":"bounced","suppress":true}}'),
    );
    expect(classifySmtpReply('550 5.7.1 blocked using Spamhaus', rules)).toMatchObject({
      disposition: 'deferred',
      rule: 'override:5.7.1',
    });
    expect(classifySmtpReply('552 5.2.2 mailbox full', rules)).toMatchObject({
      disposition: 'bounced',
      suppress: true,
    });
    // untouched codes keep the default verdicts
    expect(classifySmtpReply('550 5.7.26 unauthenticated', rules).disposition).toBe('policy');
  });

  it('supports text conditions for providers with non-standard replies', () => {
    const rules = classificationRules(
      parseClassificationOverrides(
        JSON.stringify({
          '554': {
            disposition: 'bounced',
            suppress: true,
            text: "doesn't have a \\S+ account",
            reason: 'no account',
          },
        }),
      ),
    );
    const yahoo = "554 delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0]";
    expect(classifySmtpReply(yahoo, rules)).toMatchObject({ suppress: true, reason: 'no account (554)' });
    expect(classifySmtpReply('554 Transaction failed', rules)).toMatchObject({
      suppress: false,
      rule: '554',
    });
  });

  it('orders rules most specific first, whatever the key order', () => {
    // JavaScript enumerates "550" before "5.7.1" regardless of how the JSON is written.
    const rules = parseClassificationOverrides(
      '{"5xx":"deferred","5.7.*":"policy","550":{"disposition":"bounced","suppress":true},"5.7.1":"bounced","5.*.*":"bounced"}',
    );
    expect(rules.map((r) => r.match)).toEqual(['5.7.1', '5.7.*', '5.*.*', '550', '5xx']);
    expect(classifySmtpReply('550 5.7.1 denied', rules).rule).toBe('override:5.7.1');
  });

  it('puts a text-conditioned rule before the same pattern without one', () => {
    const rules = parseClassificationOverrides('{"550":"bounced","5xx":{"disposition":"policy","text":"x"}}');
    expect(rules.map((r) => r.match)).toEqual(['550', '5xx']);
    const sameRank = parseClassificationOverrides(
      '{"5xx":"bounced","4xx":{"disposition":"deferred","text":"x"}}',
    );
    expect(sameRank.map((r) => r.match)).toEqual(['4xx', '5xx']);
  });

  it('treats a blank value as no overrides', () => {
    expect(parseClassificationOverrides('')).toEqual([]);
    expect(parseClassificationOverrides('  ')).toEqual([]);
    expect(parseClassificationOverrides('{}')).toEqual([]);
  });

  it.each([
    { json: '{"5.7.1":', error: /not valid JSON/ },
    { json: '["5.7.1"]', error: /expected a JSON object/ },
    { json: 'null', error: /expected a JSON object/ },
    { json: '{"5.7.1":"soft"}', error: /"5\.7\.1": unknown disposition "soft", use delivered \| deferred/ },
    { json: '{"5.7.1":{"suppress":true}}', error: /"5\.7\.1": unknown disposition undefined/ },
    { json: '{"5.7.x":"deferred"}', error: /Invalid reply pattern "5\.7\.x"/ },
    { json: '{"650":"bounced"}', error: /Invalid reply pattern "650"/ },
    { json: '{"5.7.1":42}', error: /expected a disposition or an object/ },
    {
      json: '{"5.7.1":{"disposition":"policy","suppress":true}}',
      error: /suppress is only allowed with disposition "bounced"/,
    },
    { json: '{"5.7.1":{"disposition":"bounced","suppress":"yes"}}', error: /suppress must be true or false/ },
    { json: '{"5.7.1":{"disposition":"bounced","reason":""}}', error: /reason must be a non-empty string/ },
    {
      json: '{"5.7.1":{"disposition":"bounced","text":"("}}',
      error: /text is not a valid regular expression/,
    },
    { json: '{"5.7.1":{"disposition":"bounced","supress":true}}', error: /unknown field\(s\) supress/ },
  ])('rejects $json', ({ json, error }) => {
    expect(() => parseClassificationOverrides(json)).toThrow(ConfigError);
    expect(() => parseClassificationOverrides(json)).toThrow(error);
  });
});
