import { describe, expect, it } from 'vitest';
import { decodeAttributeValue, escapeAttributeValue } from './html-attribute';

describe('decodeAttributeValue', () => {
  it.each([
    ['a=1&amp;b=2', 'a=1&b=2'],
    ['&AMP;&lt;&GT;&quot;&apos;', '&<>"\''],
    ['&#38;&#x26;&#X26;&#0000038;', '&&&&'],
    ['&#65 ', 'A '],
    ['&#0;&#xD800;&#x110000;&#99999999999999;', '\ufffd\ufffd\ufffd\ufffd'],
    ['&amp &nbsp;&eacute;', '& \u00a0\u00e9'],
    ['?x=1&copy=2', '?x=1&copy=2'],
    ['?x=1&copy', '?x=1\u00a9'],
    ['&ampx &notanentity &# &#x; & ', '&ampx &notanentity &# &#x; & '],
    ['&sol;&colon;&quest;&equals;&num;', '/:?=#'],
  ])('%j → %j', (raw, decoded) => {
    expect(decodeAttributeValue(raw)).toBe(decoded);
  });

  it.each(['&zwnj;', '&hellip;', '&#128;', '&#x9F;'])('gives up on %j rather than guess', (raw) => {
    expect(decodeAttributeValue(`https://example.com/${raw}`)).toBeNull();
  });
});

describe('escapeAttributeValue', () => {
  it('escapes what could end or confuse a quoted or unquoted value', () => {
    expect(escapeAttributeValue(`a&b"c'd<e>f`)).toBe('a&amp;b&quot;c&#39;d&lt;e&gt;f');
  });

  it('round-trips through decoding', () => {
    const text = `https://t.example/c?a=1&b="x"&c='y'&d=<z>&copy=1`;
    expect(decodeAttributeValue(escapeAttributeValue(text))).toBe(text);
  });
});
