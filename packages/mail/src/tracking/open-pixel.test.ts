import { describe, expect, it } from 'vitest';
import { insertOpenPixel } from './open-pixel';

const PIXEL =
  '<img src="https://t.example/o/abc.k1.mac" width="1" height="1" alt="" style="display:none;border:0;" />';

describe('insertOpenPixel', () => {
  it('goes just before </body>', () => {
    expect(insertOpenPixel('<html><body><p>Hi</p></body></html>', 'https://t.example/o/abc.k1.mac')).toBe(
      `<html><body><p>Hi</p>${PIXEL}</body></html>`,
    );
  });

  it('finds the body end tag in any case and with whitespace before >', () => {
    expect(insertOpenPixel('<BODY>Hi</BODY >\n', 'https://t.example/o/abc.k1.mac')).toBe(
      `<BODY>Hi${PIXEL}</BODY >\n`,
    );
  });

  it('uses the last </body> when an earlier one is quoted in the content', () => {
    const html = '<body><!-- </body> --><p>Hi</p></body>';
    expect(insertOpenPixel(html, 'https://t.example/o/abc.k1.mac')).toBe(
      `<body><!-- </body> --><p>Hi</p>${PIXEL}</body>`,
    );
  });

  it('does not take </bodyx> or </tbody> for the body end tag', () => {
    expect(insertOpenPixel('<table><tbody></tbody></table></bodyx>', 'https://t.example/o/abc.k1.mac')).toBe(
      `<table><tbody></tbody></table></bodyx>${PIXEL}`,
    );
  });

  it('goes at the end when there is no body end tag', () => {
    expect(insertOpenPixel('<p>fragment</p>', 'https://t.example/o/abc.k1.mac')).toBe(
      `<p>fragment</p>${PIXEL}`,
    );
    expect(insertOpenPixel('', 'https://t.example/o/abc.k1.mac')).toBe(PIXEL);
  });

  it('escapes the URL into the attribute', () => {
    expect(insertOpenPixel('', 'https://t.example/o?a=1&b="2"')).toBe(
      '<img src="https://t.example/o?a=1&amp;b=&quot;2&quot;" width="1" height="1" alt="" style="display:none;border:0;" />',
    );
  });

  it.each(['javascript:alert(1)', 'data:image/gif;base64,R0lGOD', '/o/abc', 'https://'])(
    'refuses %j',
    (url) => {
      expect(() => insertOpenPixel('<body></body>', url)).toThrow(TypeError);
    },
  );
});
