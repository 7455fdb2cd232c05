import { decodeAttributeValue, escapeAttributeValue } from './html-attribute';
import { startTags } from './html-tags';
import type { HtmlAttribute } from './html-tags';

/** Opt-out marker: `<a href="..." data-mq-notrack>` keeps its link as written. */
export const NO_TRACK_ATTRIBUTE = 'data-mq-notrack';

// Merge-tag syntaxes (Handlebars/Mustache/Liquid `{{ }}` `{% %}`, Mailchimp `*| |*`), raw or
// percent-encoded: a link still holding one was not rendered, and signing it would freeze the
// placeholder into the token.
const TEMPLATE_LEFTOVER = /\{\{|\}\}|\{%|%\}|\*\||\|\*|%7B%7B|%7D%7D/i;

// What a browser does to an href before parsing it as a URL (WHATWG URL: strip leading and
// trailing C0 controls and spaces, remove every tab and newline).
function urlInput(href: string): string {
  // eslint-disable-next-line no-control-regex -- C0 controls are exactly what the URL spec strips
  return href.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, '').replace(/[\t\n\r]/g, '');
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) return true;
  }
  return false;
}

/** The URL to track for this href, or null to leave the link alone. */
function trackableUrl(raw: string): string | null {
  const decoded = decodeAttributeValue(raw);
  if (decoded === null) return null;
  const url = urlInput(decoded);
  // Only absolute http(s): mailto:, tel:, #anchors, relative and scheme-relative links stay.
  if (!/^https?:\/\//i.test(url) || hasControlCharacter(url) || TEMPLATE_LEFTOVER.test(url)) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

// Keeps the author's quoting when the new value allows it; an unquoted value that would need
// quotes gets double quotes.
function quoted(value: string, quote: HtmlAttribute['quote']): string {
  const escaped = escapeAttributeValue(value);
  if (quote === '' && /^[^\t\n\f\r "'=<>`]+$/.test(escaped)) return escaped;
  const q = quote === '' ? '"' : quote;
  return `${q}${escaped}${q}`;
}

interface Edit {
  start: number;
  end: number;
  url: string;
  quote: HtmlAttribute['quote'];
}

/**
 * Replaces the href of every `<a>` that points to an absolute http: or https: URL with the URL
 * `toTrackedUrl` returns for it, and changes nothing else in the document. The callback gets the
 * href as the recipient's client would follow it (entities such as `&amp;` decoded); its result
 * is HTML-escaped into the attribute. Left alone: other schemes (mailto:, tel:...), anchors,
 * relative URLs, unrendered merge tags (`{{...}}`), links marked `data-mq-notrack`, hrefs whose
 * entities cannot be decoded with certainty, and tags other than `<a>` (`<area>`, VML buttons).
 *
 * The callback is called once per link, in document order; a rejection rejects the whole call.
 */
export async function rewriteLinks(
  html: string,
  toTrackedUrl: (href: string) => Promise<string> | string,
): Promise<string> {
  const edits: Edit[] = [];
  for (const tag of startTags(html)) {
    if (tag.name !== 'a' || tag.attributes.some((attribute) => attribute.name === NO_TRACK_ATTRIBUTE))
      continue;
    // The first of duplicate attributes wins (spec: duplicate-attribute parse error).
    const href = tag.attributes.find((attribute) => attribute.name === 'href');
    if (!href || href.value === null) continue;
    const url = trackableUrl(href.value);
    if (url !== null) edits.push({ start: href.valueStart, end: href.valueEnd, url, quote: href.quote });
  }
  if (edits.length === 0) return html;

  const rewritten = await Promise.all(
    edits.map(async (edit) => ({ ...edit, tracked: await toTrackedUrl(edit.url) })),
  );
  let out = '';
  let from = 0;
  for (const edit of rewritten) {
    out += html.slice(from, edit.start) + quoted(edit.tracked, edit.quote);
    from = edit.end;
  }
  return out + html.slice(from);
}
