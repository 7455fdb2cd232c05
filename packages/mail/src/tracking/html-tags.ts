// A start-tag scanner after the WHATWG HTML tokenizer (https://html.spec.whatwg.org/multipage/parsing.html#tokenization),
// reduced to what link rewriting needs: where each start tag and each attribute value sits in
// the source. It never builds a tree and never re-serialises, so bytes outside the values a
// caller replaces come out exactly as they went in.

/** One attribute as written: the name lower-cased, the value still entity-encoded. */
export interface HtmlAttribute {
  name: string;
  /** Null for a bare attribute (`<a data-mq-notrack href=...>`). */
  value: string | null;
  /** The quote around the value, '' when unquoted. */
  quote: '"' | "'" | '';
  /** Source range of the value including its quotes; equal to each other for a bare attribute. */
  valueStart: number;
  valueEnd: number;
}

export interface HtmlStartTag {
  /** Lower-cased. */
  name: string;
  attributes: HtmlAttribute[];
}

const WHITESPACE = /[\t\n\f\r ]/;
const ASCII_LETTER = /[A-Za-z]/;
// Elements whose content is text up to their end tag: a `<a` inside a <style> or <title> is not
// a link. (<script> and friends should not be in mail, but are skipped the same way.)
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

interface ParsedTag {
  name: string;
  attributes: HtmlAttribute[];
  /** Index just past the closing `>`. */
  end: number;
}

function skipWhitespace(html: string, at: number): number {
  let p = at;
  while (p < html.length && WHITESPACE.test(html.charAt(p))) p++;
  return p;
}

/** Parses the tag whose name starts at `nameStart`; null when the input ends inside it. */
function parseTag(html: string, nameStart: number): ParsedTag | null {
  let p = nameStart;
  while (p < html.length && !/[\t\n\f\r />]/.test(html.charAt(p))) p++;
  const name = html.slice(nameStart, p).toLowerCase();
  const attributes: HtmlAttribute[] = [];
  for (;;) {
    while (p < html.length && /[\t\n\f\r /]/.test(html.charAt(p))) p++;
    if (p >= html.length) return null;
    if (html.charAt(p) === '>') return { name, attributes, end: p + 1 };
    // The first character is part of the name whatever it is, `=` included (spec: "before
    // attribute name state").
    const attrStart = p++;
    while (p < html.length && !/[\t\n\f\r />=]/.test(html.charAt(p))) p++;
    const attrName = html.slice(attrStart, p).toLowerCase();
    p = skipWhitespace(html, p);
    if (html.charAt(p) !== '=') {
      attributes.push({ name: attrName, value: null, quote: '', valueStart: p, valueEnd: p });
      continue;
    }
    p = skipWhitespace(html, p + 1);
    const quote = html.charAt(p);
    if (quote === '"' || quote === "'") {
      const close = html.indexOf(quote, p + 1);
      if (close === -1) return null;
      attributes.push({
        name: attrName,
        value: html.slice(p + 1, close),
        quote,
        valueStart: p,
        valueEnd: close + 1,
      });
      p = close + 1;
    } else {
      const valueStart = p;
      while (p < html.length && !/[\t\n\f\r >]/.test(html.charAt(p))) p++;
      attributes.push({
        name: attrName,
        value: html.slice(valueStart, p),
        quote: '',
        valueStart,
        valueEnd: p,
      });
    }
  }
}

/** Index just past the end of the comment opening at `lt`, or -1 when it runs to the end. */
function commentEnd(html: string, lt: number): number {
  // `<!-->` and `<!--->` close at once (spec: abrupt-closing-of-empty-comment).
  if (html.startsWith('>', lt + 4)) return lt + 5;
  if (html.startsWith('->', lt + 4)) return lt + 6;
  // One search for either ending: two indexOf calls would rescan the rest of the document for
  // the rarer `--!>` at every comment.
  const ending = /--!?>/g;
  ending.lastIndex = lt + 4;
  const match = ending.exec(html);
  return match ? match.index + match[0].length : -1;
}

/** Index of the end tag closing a raw-text element, or the input length when there is none. */
function rawTextEnd(html: string, from: number, name: string): number {
  const closing = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi');
  closing.lastIndex = from;
  const match = closing.exec(html);
  return match ? match.index : html.length;
}

/**
 * Yields every start tag outside comments and raw-text elements, in source order. Contents of
 * Outlook's downlevel-hidden conditional comments (`<!--[if mso]>...<![endif]-->`) are scanned
 * too: Outlook renders them. A tag cut off by the end of the input is not yielded.
 */
export function* startTags(html: string): Generator<HtmlStartTag> {
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt === -1) return;
    const next = html.charAt(lt + 1);
    if (html.startsWith('<!--', lt)) {
      if (/^<!--\[if\b/i.test(html.slice(lt, lt + 8))) {
        const close = html.indexOf('>', lt);
        if (close === -1) return;
        at = close + 1;
        continue;
      }
      const end = commentEnd(html, lt);
      if (end === -1) return;
      at = end;
    } else if (next === '!' || next === '?' || (next === '/' && !ASCII_LETTER.test(html.charAt(lt + 2)))) {
      // Doctype, `<![endif]>`, CDATA, processing instruction, `</>`, `</ ...`: up to the next `>`.
      const close = html.indexOf('>', lt);
      if (close === -1) return;
      at = close + 1;
    } else if (next === '/') {
      const tag = parseTag(html, lt + 2);
      if (!tag) return;
      at = tag.end;
    } else if (ASCII_LETTER.test(next)) {
      const tag = parseTag(html, lt + 1);
      if (!tag) return;
      yield { name: tag.name, attributes: tag.attributes };
      at = RAW_TEXT.has(tag.name) ? rawTextEnd(html, tag.end, tag.name) : tag.end;
    } else {
      at = lt + 1;
    }
  }
}
