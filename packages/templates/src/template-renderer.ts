import { ApiError, toValidationIssues } from '@mailq/contracts';
import * as v from 'valibot';
import {
  HTML_OPTIONS,
  PLAIN_OPTIONS,
  RUNTIME_OPTIONS,
  handlebars,
  type TemplateDelegate,
} from './handlebars-env';
import { LruCache } from './lru-cache';
import { SubjectLine, type Template, type TemplateVariables } from '@mailq/contracts';
import { syntaxIssues } from './template-syntax';
import { missingVariable } from './render-errors';

/** The Handlebars sources of a template. */
export interface TemplateSource {
  subject: string;
  html?: string;
  text?: string;
}

/** A template's parts compiled with the options each one renders with. */
export interface CompiledTemplate {
  subject: TemplateDelegate;
  html?: TemplateDelegate;
  text?: TemplateDelegate;
}

/** What a template renders to: the subject and the bodies of one message. */
export interface RenderedTemplate {
  subject: string;
  html?: string;
  text?: string;
}

type Part = keyof TemplateSource;
const PARTS: readonly Part[] = ['subject', 'html', 'text'];

/** Compiled templates kept per process; 500 covers the templates in use without unbounded growth. */
const CACHE_ENTRIES = 500;
const cache = new LruCache<string, { updatedAt: string; compiled: CompiledTemplate }>(CACHE_ENTRIES);

/**
 * Checks and compiles each part of a template. Called when a template is
 * created or updated, so a broken template is refused at save time, not at
 * every send.
 *
 * @throws ApiError `invalid_request` with one issue per problem, its `path`
 *   naming the part (`subject`, `html`, `text`) and its message Handlebars' own.
 */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  const issues = PARTS.flatMap((part) => {
    const text = source[part];
    return text === undefined ? [] : syntaxIssues(part, text, optionsFor(part));
  });
  if (issues.length > 0) {
    const parts = [...new Set(issues.map((issue) => issue.path))].join(', ');
    throw new ApiError('invalid_request', `template does not compile (${parts})`, issues);
  }
  const compiled: CompiledTemplate = { subject: handlebars.compile(source.subject, PLAIN_OPTIONS) };
  if (source.html !== undefined) compiled.html = handlebars.compile(source.html, HTML_OPTIONS);
  if (source.text !== undefined) compiled.text = handlebars.compile(source.text, PLAIN_OPTIONS);
  return compiled;
}

/**
 * Renders a stored template. html is HTML-escaped (`{{x}}`); `{{{x}}}` inserts
 * a value raw, which is the template author's explicit choice. subject and text
 * are not HTML and are not escaped. Compiled templates are cached by id and
 * `updated_at`, so sends do not recompile and an update is picked up at once.
 *
 * `variables` should have been parsed with `TemplateVariables` (its bounds).
 *
 * @throws ApiError `invalid_request` when a variable is missing ("template
 *   variable "x" is missing"), when the variables put a line break or another
 *   control character into the subject, or when the template fails to render.
 */
export function renderTemplate(
  template: Pick<Template, 'id' | 'updated_at' | 'subject' | 'html' | 'text'>,
  variables: TemplateVariables,
): RenderedTemplate {
  const compiled = compiledFor(template);
  const subject = run('subject', template.subject, compiled.subject, variables);
  checkSubject(subject);
  const rendered: RenderedTemplate = { subject };
  if (compiled.html && template.html !== undefined) {
    rendered.html = run('html', template.html, compiled.html, variables);
  }
  if (compiled.text && template.text !== undefined) {
    rendered.text = run('text', template.text, compiled.text, variables);
  }
  return rendered;
}

function compiledFor(template: Pick<Template, 'id' | 'updated_at'> & TemplateSource): CompiledTemplate {
  const entry = cache.get(template.id);
  if (entry?.updatedAt === template.updated_at) return entry.compiled;
  const compiled = compileTemplate(template);
  cache.set(template.id, { updatedAt: template.updated_at, compiled });
  return compiled;
}

function optionsFor(part: Part) {
  return part === 'html' ? HTML_OPTIONS : PLAIN_OPTIONS;
}

function run(part: Part, source: string, delegate: TemplateDelegate, variables: TemplateVariables): string {
  try {
    return delegate(variables, RUNTIME_OPTIONS);
  } catch (error) {
    const missing = missingVariable(source, error);
    if (missing) {
      throw new ApiError('invalid_request', `template variable "${missing.name}" is missing`, [
        { path: part, message: `"${missing.name}" is used at ${missing.at} but not given` },
      ]);
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiError('invalid_request', `the ${part} template could not be rendered`, [
      { path: part, message },
    ]);
  }
}

function checkSubject(subject: string): void {
  // Checked on its own, with its own message: a line break in a subject is a
  // header injection attempt (CWE-93), not a typo.
  if (/[\r\n]/.test(subject)) {
    throw new ApiError('invalid_request', 'variables produced a subject with a line break', [
      { path: 'subject', message: 'CR and LF are not allowed in a subject' },
    ]);
  }
  const result = v.safeParse(SubjectLine, subject);
  if (!result.success) {
    const issues = toValidationIssues(result.issues).map((issue) => ({ ...issue, path: 'subject' }));
    throw new ApiError('invalid_request', 'variables produced an invalid subject', issues);
  }
}
