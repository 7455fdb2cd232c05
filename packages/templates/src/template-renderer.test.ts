import { ApiError } from '@mailq/contracts';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { compileTemplate, renderTemplate } from './template-renderer';
import type { Template, TemplateVariables } from '@mailq/contracts';

let nextId = 0;
function template(parts: Partial<Template>): Template {
  nextId += 1;
  return {
    id: `tpl_render${nextId}`,
    name: `render-${nextId}`,
    subject: 'Hello',
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
    ...parts,
  };
}

function render(parts: Partial<Template>, variables: TemplateVariables = {}) {
  return renderTemplate(template(parts), variables);
}

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('renderTemplate', () => {
  it('escapes variables in html but not in text or subject', () => {
    const variables = { name: '<script>alert("x")</script> & co' };
    const out = render({ subject: 'Hi {{name}}', html: '<p>{{name}}</p>', text: 'Hi {{name}}' }, variables);
    expect(out.html).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>');
    expect(out.text).toBe('Hi <script>alert("x")</script> & co');
    expect(out.subject).toBe('Hi <script>alert("x")</script> & co');
  });

  it('inserts a triple-stashed value raw: the author chose it', () => {
    const out = render({ html: '<div>{{{banner}}}</div>' }, { banner: '<b>Sale</b>' });
    expect(out.html).toBe('<div><b>Sale</b></div>');
  });

  it('renders nested variables, lists and JSON scalars', () => {
    const out = render(
      {
        subject: 'Order {{order.id}} for {{user.name}}',
        text: '{{#each items}}{{@index}}:{{name}}x{{qty}};{{/each}} paid={{paid}} note={{note}}',
      },
      {
        user: { name: 'Ada' },
        order: { id: 42 },
        items: [
          { name: 'tea', qty: 2 },
          { name: 'cake', qty: 1 },
        ],
        paid: true,
        note: null,
      },
    );
    expect(out).toEqual({ subject: 'Order 42 for Ada', text: '0:teax2;1:cakex1; paid=true note=' });
  });

  it('leaves out the parts a template does not have', () => {
    expect(render({ text: 'only text' })).toEqual({ subject: 'Hello', text: 'only text' });
  });

  it('refuses a missing variable, naming it', () => {
    const error = thrown(() => render({ subject: 'Hi {{firstName}}', text: 'x' }));
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.message).toBe('template variable "firstName" is missing');
    expect(error.issues).toEqual([
      { path: 'subject', message: '"firstName" is used at line 1, column 6 but not given' },
    ]);
  });

  it('names the whole path of a missing nested variable, and one missing inside a loop', () => {
    expect(thrown(() => render({ html: '<p>\n  {{user.name}}</p>' }, { user: {} })).message).toBe(
      'template variable "user.name" is missing',
    );
    expect(thrown(() => render({ html: '{{user.name}}' })).message).toBe(
      'template variable "user.name" is missing',
    );
    const inLoop = thrown(() =>
      render({ text: '{{#each items}}{{sku}}{{/each}}' }, { items: [{ sku: 1 }, {}] }),
    );
    expect(inLoop.message).toBe('template variable "sku" is missing');
    expect(inLoop.issues?.[0]?.path).toBe('text');
  });

  it('lets {{#if}} test an optional variable', () => {
    expect(render({ text: '{{#if coupon}}Use {{coupon}}{{else}}none{{/if}}' }).text).toBe('none');
  });

  it.each([
    ['CRLF', 'x\r\nBcc: victim@example.com'],
    ['LF', 'x\nBcc: victim@example.com'],
    ['CR', 'x\rBcc: victim@example.com'],
  ])('refuses a %s injected into the subject through a variable', (_kind, value) => {
    const error = thrown(() => render({ subject: 'Re: {{topic}}', text: 'x' }, { topic: value }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('variables produced a subject with a line break');
  });

  it('refuses other control characters, an empty and an overlong rendered subject', () => {
    for (const topic of ['bell\u0007', '', 'x'.repeat(999)]) {
      const error = thrown(() => render({ subject: '{{topic}}', text: 'x' }, { topic }));
      expect(error.message).toBe('variables produced an invalid subject');
      expect(error.issues?.[0]?.path).toBe('subject');
    }
  });

  it('reads no property or method from the prototype chain', () => {
    const variables = { user: { name: 'Ada' } };
    const probes =
      '[{{user.toString}}][{{#with user}}{{hasOwnProperty}}{{/with}}][{{constructor}}][{{__proto__}}]';
    expect(render({ text: probes + '[{{lookup this "constructor"}}]' }, variables).text).toBe('[][][][][]');
    expect(thrown(() => render({ text: '{{constructor.name}}' })).code).toBe('invalid_request');
  });

  it('refuses the constructor-chain exploit of CVE-2019-19919 and its successors at save time', () => {
    const marker = '__mailqTemplatePwned';
    const payload = `{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}
{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}
{{this.push "globalThis.${marker} = true;"}}{{this.pop}}{{#each conslist}}
{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}`;
    const error = thrown(() => compileTemplate({ subject: 's', text: payload }));
    expect(error.issues?.[0]?.message).toMatch(/unknown helper push/);
    expect(thrown(() => render({ text: payload })).code).toBe('invalid_request');
    expect(marker in globalThis).toBe(false);
  });

  it('serves a compiled template from the cache until updated_at changes', () => {
    const v1 = template({ subject: 'Version one', text: 'one' });
    expect(renderTemplate(v1, {}).subject).toBe('Version one');
    // Same id and updated_at: the cached compilation is used, not the new source.
    expect(renderTemplate({ ...v1, subject: 'Version two' }, {}).subject).toBe('Version one');
    const v2 = { ...v1, subject: 'Version two', updated_at: '2025-01-01T00:00:00.001Z' };
    expect(renderTemplate(v2, {}).subject).toBe('Version two');
  });
});

describe('compileTemplate', () => {
  it('accepts a valid template', () => {
    const compiled = compileTemplate({
      subject: 'Hi {{name}}',
      html: '{{#each xs}}{{this}}{{/each}}',
      text: 't',
    });
    expect(compiled.subject({ name: 'Ada' })).toBe('Hi Ada');
  });

  it('refuses a syntax error, naming each broken part with Handlebars’ message', () => {
    const error = thrown(() =>
      compileTemplate({ subject: 'Hi {{name}', html: '{{#if x}}unclosed', text: 'ok' }),
    );
    expect(error.code).toBe('invalid_request');
    expect(error.message).toBe('template does not compile (subject, html)');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['subject', 'html']);
    expect(error.issues?.[0]?.message).toMatch(/^Parse error on line 1:/);
    expect(error.issues?.[1]?.message).toMatch(/Expecting .*got 'EOF'/);
  });

  it.each([
    ['a partial', '{{> footer}}', /partials/],
    ['a partial block', '{{#> layout}}x{{/layout}}', /partial blocks/],
    ['an inline partial', '{{#*inline "p"}}x{{/inline}}', /inline partials/],
    ['a decorator', '{{* deco}}', /decorators/],
    ['an unknown helper', '{{shout name}}', /unknown helper shout/],
    ['an unknown helper in a subexpression', '{{#if (eq a b)}}y{{/if}}', /unknown helper eq/],
    ['the log helper', '{{log "secret"}}', /unknown helper log/],
    ['an internal helper', '{{helperMissing}}', /"helperMissing" is reserved/],
  ])('refuses %s at save time', (_what, html, message) => {
    const error = thrown(() => compileTemplate({ subject: 's', html }));
    expect(error.issues?.[0]?.path).toBe('html');
    expect(error.issues?.[0]?.message).toMatch(message);
  });

  it('does not see helpers registered on the global Handlebars', () => {
    Handlebars.registerHelper('shout', (value: unknown) => String(value).toUpperCase());
    try {
      expect(Handlebars.compile('{{shout name}}')({ name: 'a' })).toBe('A');
      expect(thrown(() => compileTemplate({ subject: '{{shout name}}', text: 't' })).code).toBe(
        'invalid_request',
      );
      expect(thrown(() => render({ subject: '{{shout}}', text: 't' })).message).toBe(
        'template variable "shout" is missing',
      );
    } finally {
      Handlebars.unregisterHelper('shout');
    }
  });
});
