import { ApiError } from '@mailq/contracts';
import type { Template, TemplateUpdate } from '@mailq/contracts';

/**
 * The template after `update`: fields given replace the stored ones, `null`
 * removes html, text or description, and `updated_at` becomes `updatedAt`.
 *
 * @throws ApiError `invalid_request` when the result would have neither html nor text.
 */
export function applyUpdate(current: Template, update: TemplateUpdate, updatedAt: string): Template {
  const html = patched(update.html, current.html);
  const text = patched(update.text, current.text);
  const description = patched(update.description, current.description);
  if (html === undefined && text === undefined) {
    throw new ApiError('invalid_request', 'a template needs html, text or both', [
      { path: 'html', message: 'html and text cannot both be removed' },
    ]);
  }
  const next: Template = {
    id: current.id,
    name: update.name ?? current.name,
    subject: update.subject ?? current.subject,
    created_at: current.created_at,
    updated_at: updatedAt,
  };
  if (html !== undefined) next.html = html;
  if (text !== undefined) next.text = text;
  if (description !== undefined) next.description = description;
  return next;
}

/** `undefined` keeps the stored value, `null` removes it. */
function patched(change: string | null | undefined, stored: string | undefined): string | undefined {
  return change === undefined ? stored : (change ?? undefined);
}

/**
 * A timestamp later than `previous`, normally `now`. Compiled templates are
 * cached by id and `updated_at`, so two updates within one millisecond (or
 * after the clock stepped back) must still get distinct values.
 */
export function timestampAfter(previous: string, now: Date): string {
  const previousMs = Date.parse(previous);
  const nowMs = now.getTime();
  return new Date(Number.isNaN(previousMs) || nowMs > previousMs ? nowMs : previousMs + 1).toISOString();
}
