import Handlebars from 'handlebars';

/** The one compiled form of a template part, run with variables as its context. */
export type TemplateDelegate = Handlebars.TemplateDelegate<Record<string, unknown>>;

export type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/**
 * An isolated Handlebars environment: helpers or partials another library
 * registers on the global `Handlebars` never reach tenant templates, which can
 * use only the built-in helpers kept here.
 */
export const handlebars = Handlebars.create();
// `{{log x}}` writes to the server's console: tenants must not fill our logs.
handlebars.unregisterHelper('log');

// Names a template may not call: the runtime's own fallbacks, which fail with a
// TypeError when called directly instead of with a message.
export const INTERNAL_HELPERS: ReadonlySet<string> = new Set(['helperMissing', 'blockHelperMissing']);

const COMMON: CompileOptions = {
  // Handlebars renders a missing variable as "": an email saying "Hello ," is
  // worse than a refused send, so missing variables throw and become a 400.
  strict: true,
  // An unknown helper call is refused when the template is compiled (at save)
  // instead of failing at every send.
  knownHelpersOnly: true,
  knownHelpers: { log: false },
};

/** html: `{{x}}` is HTML-escaped; `{{{x}}}` is raw, the template author's explicit choice. */
export const HTML_OPTIONS: CompileOptions = { ...COMMON };

/** subject and text are not HTML: escaping would show `&amp;` to the reader. */
export const PLAIN_OPTIONS: CompileOptions = { ...COMMON, noEscape: true };

/**
 * Prototype access stays denied (the Handlebars 4.6+ default, CVE-2019-19919
 * and later RCEs went through `constructor`/`__proto__`). Stating the defaults
 * explicitly also stops Handlebars logging a warning to the console for every
 * property a template probes.
 */
export const RUNTIME_OPTIONS: Handlebars.RuntimeOptions = {
  allowProtoPropertiesByDefault: false,
  allowProtoMethodsByDefault: false,
  allowCallsToHelperMissing: false,
};
