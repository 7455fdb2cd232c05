import { describe, it, expect } from 'vitest';
import { compileReplyPattern, matchesReplyPattern, replyPatternRank } from './reply-pattern';

describe('compileReplyPattern', () => {
  it.each(['5.1.1', '5.1.10', '4.7.650', '5.7.*', '4.*.*', '550', '421', '5xx', '4XX', '2xx'])(
    'accepts %s',
    (match) => {
      expect(() => compileReplyPattern(match)).not.toThrow();
    },
  );

  it.each([
    '',
    '5',
    '5.1',
    '5.1.1.1',
    '6.1.1',
    '3.1.1',
    '5.*.1',
    '5.1.1234',
    '55',
    '650',
    '5x',
    '5xxx',
    'abc',
  ])('rejects %j', (match) => {
    expect(() => compileReplyPattern(match)).toThrow(/Invalid reply pattern/);
  });
});

describe('matchesReplyPattern', () => {
  it.each([
    { match: '5.1.1', code: 550, enhanced: '5.1.1', expected: true },
    { match: '5.1.1', code: 550, enhanced: '5.1.10', expected: false },
    { match: '5.1.1', code: 550, enhanced: '5.01.001', expected: true },
    { match: '5.1.1', code: 550, enhanced: undefined, expected: false },
    { match: '5.7.*', code: 554, enhanced: '5.7.26', expected: true },
    { match: '5.7.*', code: 550, enhanced: '5.1.7', expected: false },
    { match: '4.*.*', code: 451, enhanced: '4.3.0', expected: true },
    { match: '4.*.*', code: 550, enhanced: '5.3.0', expected: false },
    { match: '550', code: 550, enhanced: '5.1.1', expected: true },
    { match: '550', code: 551, enhanced: undefined, expected: false },
    { match: '550', code: undefined, enhanced: '5.5.0', expected: false },
    { match: '5xx', code: 554, enhanced: undefined, expected: true },
    { match: '5xx', code: undefined, enhanced: '5.1.1', expected: true },
    { match: '5xx', code: 421, enhanced: undefined, expected: false },
    { match: '2xx', code: undefined, enhanced: undefined, expected: false },
  ])('$match vs $code $enhanced → $expected', ({ match, code, enhanced, expected }) => {
    expect(matchesReplyPattern(compileReplyPattern(match), code, enhanced)).toBe(expected);
  });
});

describe('replyPatternRank', () => {
  it('orders enhanced exact < enhanced wildcards < basic code < class', () => {
    const ranks = ['5.7.1', '5.7.*', '5.*.*', '550', '5xx'].map((m) =>
      replyPatternRank(compileReplyPattern(m)),
    );
    expect(ranks).toEqual([0, 1, 2, 3, 4]);
  });
});
