import { ApiError } from './errors';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { TemplateInput, TemplateUpdate, TemplateVariables, parseOrThrow } from './templates';

const valid = { name: 'welcome.v2_en-GB', subject: 'Welcome {{name}}', html: '<p>Hi</p>' };

function problems(schema: v.GenericSchema, input: unknown): string[] {
  const result = v.safeParse(schema, input);
  return result.success ? [] : result.issues.map((issue) => issue.message);
}

describe('TemplateInput', () => {
  it('accepts html, text or both, with an optional description', () => {
    expect(problems(TemplateInput, valid)).toEqual([]);
    expect(problems(TemplateInput, { name: 'a', subject: 's', text: 't', description: 'd' })).toEqual([]);
  });

  it('needs a body', () => {
    expect(problems(TemplateInput, { name: 'a', subject: 's' })).toEqual([
      'a template needs html, text or both',
    ]);
  });

  it.each([
    ['an empty name', ''],
    ['a name of 101 characters', 'n'.repeat(101)],
    ['a name with a space', 'order shipped'],
    ['a name with a colon', 'a:b'],
    ['a name that looks like an id', 'tpl_welcome'],
  ])('refuses %s', (_what, name) => {
    expect(problems(TemplateInput, { ...valid, name })).toHaveLength(1);
  });

  it('refuses a subject that could not be a header line', () => {
    expect(problems(TemplateInput, { ...valid, subject: 'Hi\r\nBcc: x@example.com' })).toEqual([
      'subject must not contain CR, LF or control characters',
    ]);
    expect(problems(TemplateInput, { ...valid, subject: 's'.repeat(999) })).toEqual([
      'subject must be at most 998 characters',
    ]);
    expect(problems(TemplateInput, { ...valid, subject: '' })).toEqual(['subject must not be empty']);
  });

  it('refuses unknown fields', () => {
    expect(problems(TemplateInput, { ...valid, htm: '<p>typo</p>' })).toHaveLength(1);
  });
});

describe('TemplateUpdate', () => {
  it('needs at least one field, and takes null to remove an optional one', () => {
    expect(problems(TemplateUpdate, {})).toEqual(['an update needs at least one field']);
    expect(problems(TemplateUpdate, { html: null, description: null })).toEqual([]);
    expect(problems(TemplateUpdate, { subject: null })).toHaveLength(1);
    expect(problems(TemplateUpdate, { name: null })).toHaveLength(1);
  });
});

describe('TemplateVariables', () => {
  it('accepts JSON values, nested', () => {
    const variables = {
      user: { name: 'Ada', tags: ['a', 1, true, null] },
      total: 12.5,
      vip: false,
      gift: null,
    };
    expect(v.parse(TemplateVariables, variables)).toEqual(variables);
  });

  it('refuses what JSON cannot hold', () => {
    expect(problems(TemplateVariables, { f: () => 1 })).not.toEqual([]);
    expect(problems(TemplateVariables, { n: 10n })).not.toEqual([]);
    expect(problems(TemplateVariables, ['a'])).toEqual(['variables must be an object']);
  });

  it('refuses more than 100 keys and more than 64 KiB', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(problems(TemplateVariables, keys(100))).toEqual([]);
    expect(problems(TemplateVariables, keys(101))).toEqual(['at most 100 variables']);
    expect(problems(TemplateVariables, { big: 'x'.repeat(64 * 1024 - 10) })).toEqual([]);
    expect(problems(TemplateVariables, { big: 'x'.repeat(64 * 1024) })).toEqual([
      'variables must be at most 65536 bytes as JSON',
    ]);
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    expect(problems(TemplateVariables, { big: 'é'.repeat(33_000) })).toHaveLength(1);
  });

  it('refuses deep nesting before walking it, without exhausting the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 30_000; i++) deep = [deep];
    expect(problems(TemplateVariables, { deep })).toEqual(['variables must nest at most 20 levels deep']);
    let ok: unknown = 'leaf';
    for (let i = 0; i < 19; i++) ok = { next: ok };
    expect(problems(TemplateVariables, { ok })).toEqual([]);
  });

  it('drops keys that would reach the prototype', () => {
    const parsed = v.parse(TemplateVariables, JSON.parse('{"__proto__": {"admin": true}, "a": 1}'));
    expect(Object.keys(parsed)).toEqual(['a']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});

describe('parseOrThrow', () => {
  it('throws invalid_request with one issue per problem, pathed', () => {
    let caught: unknown;
    try {
      parseOrThrow(TemplateInput, { name: 'a b', subject: 's', text: 7 }, 'template');
    } catch (error) {
      caught = error;
    }
    if (!(caught instanceof ApiError)) throw new Error('expected an ApiError');
    expect(caught).toMatchObject({ code: 'invalid_request', message: 'invalid template' });
    expect(caught.issues?.map((issue) => issue.path)).toEqual(['name', 'text']);
  });
});
