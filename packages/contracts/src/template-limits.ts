import { LIMITS } from './limits';

/**
 * Size limits of stored templates and of the variables they are rendered with,
 * in one place so the schemas, the store and the docs agree.
 */
export const TEMPLATE_LIMITS = {
  maxNameChars: 100,
  /** The subject template is a header line too (RFC 5322 §2.1.1: at most 998 characters). */
  maxSubjectChars: LIMITS.maxSubjectChars,
  /**
   * html and text, each. Gmail clips HTML bodies above ~102 KB, so a template
   * near this size is already a broken email; the bound keeps every send's
   * Redis read and every `list` page (up to `maxListLimit` records) small.
   */
  maxBodyChars: 500_000,
  maxDescriptionChars: 1_000,
  /** Top-level keys of one render's variables. */
  maxVariableKeys: 100,
  /** UTF-8 bytes of the variables serialized as JSON (64 KiB). */
  maxVariablesBytes: 64 * 1024,
  /**
   * Nesting of objects and arrays in the variables. The recursive schema
   * walks every level on the stack, so depth is bounded before it runs.
   */
  maxVariablesDepth: 20,
  /** Largest page `TemplateStore.list` returns. */
  maxListLimit: 100,
} as const;
