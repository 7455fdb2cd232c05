// Attribute values as the WHATWG HTML tokenizer reads them ("character reference state",
// https://html.spec.whatwg.org/multipage/parsing.html#character-reference-state), close enough
// that a link gets signed with the URL the recipient's client would actually follow. Where the
// answer needs a table this file does not carry, decoding gives up (null) and the link is left
// alone rather than tracked to a wrong target.

// The named references HTML still accepts without a semicolon: Latin-1 U+00A0..U+00FF in code
// point order (HTML 3.2's ISO 8859-1 set), plus the ASCII ones.
const LATIN1_NAMES = (
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr ' +
  'deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
  'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml ' +
  'eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');

const LEGACY = new Map<string, string>([
  ...LATIN1_NAMES.map((name, index): [string, string] => [name, String.fromCharCode(0xa0 + index)]),
  ['amp', '&'],
  ['AMP', '&'],
  ['lt', '<'],
  ['LT', '<'],
  ['gt', '>'],
  ['GT', '>'],
  ['quot', '"'],
  ['QUOT', '"'],
  ['COPY', '\u00a9'],
  ['REG', '\u00ae'],
]);

// Semicolon-only names that turn up in URLs (ASCII punctuation). Any other `&name;` may be one of
// the ~2,000 names of the full table, so decoding refuses it.
const WITH_SEMICOLON = new Map<string, string>([
  ...LEGACY,
  ['apos', "'"],
  ['excl', '!'],
  ['num', '#'],
  ['dollar', '$'],
  ['percnt', '%'],
  ['lpar', '('],
  ['rpar', ')'],
  ['ast', '*'],
  ['plus', '+'],
  ['comma', ','],
  ['period', '.'],
  ['sol', '/'],
  ['colon', ':'],
  ['semi', ';'],
  ['equals', '='],
  ['quest', '?'],
  ['commat', '@'],
  ['lsqb', '['],
  ['bsol', '\\'],
  ['rsqb', ']'],
  ['lowbar', '_'],
  ['grave', '`'],
  ['lcub', '{'],
  ['verbar', '|'],
  ['rcub', '}'],
]);

const NUMERIC = /^#(?:[xX]([0-9a-fA-F]+)|([0-9]+))(;?)/;
const NAMED = /^([A-Za-z0-9]+)(;?)/;

// Any value past 0x10FFFF means U+FFFD, so long digit runs are clamped before parsing rather than
// parsed into imprecise floats.
function codePoint(hex: string | undefined, decimal: string | undefined): number {
  const digits = (hex ?? decimal ?? '').replace(/^0+/, '');
  if (digits.length > 8) return Infinity;
  return digits === '' ? 0 : parseInt(digits, hex !== undefined ? 16 : 10);
}

function fromCodePoint(code: number): string | null {
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  // 0x80..0x9F are remapped through windows-1252 by the spec; not worth a table, refuse instead.
  if (code >= 0x80 && code <= 0x9f) return null;
  return String.fromCodePoint(code);
}

/**
 * Decodes the character references of an attribute value as a browser would, or returns null
 * when that needs knowledge this decoder lacks (a named reference outside its tables, or a
 * numeric one in the windows-1252 remapping range).
 */
export function decodeAttributeValue(raw: string): string | null {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    out += raw.slice(from, amp);
    const rest = raw.slice(amp + 1);
    const numeric = NUMERIC.exec(rest);
    const named = numeric ? null : NAMED.exec(rest);
    if (numeric) {
      const [match, hex, decimal] = numeric;
      const char = fromCodePoint(codePoint(hex, decimal));
      if (char === null) return null;
      out += char;
      from = amp + 1 + match.length;
    } else if (named) {
      const [match, name = '', semicolon] = named;
      if (semicolon) {
        const char = WITH_SEMICOLON.get(name);
        if (char === undefined) return null;
        out += char;
        from = amp + 1 + match.length;
      } else if (LEGACY.has(name) && rest[name.length] !== '=') {
        // In attributes a reference without `;` followed by `=` or an alphanumeric stays literal
        // (`?a=1&copy=2` is a query, not ©); NAMED already consumed every alphanumeric.
        out += LEGACY.get(name);
        from = amp + 1 + match.length;
      } else {
        out += '&';
        from = amp + 1;
      }
    } else {
      out += '&';
      from = amp + 1;
    }
  }
  return out + raw.slice(from);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
};

/** Escapes text for any attribute value, quoted either way. */
export function escapeAttributeValue(text: string): string {
  return text.replace(/[&"'<>]/g, (char) => ESCAPES[char] ?? char);
}
