import { escapeAttributeValue } from './html-attribute';

// Last `</body>`, any case, tolerating `</body >` (spec: end tag name ends at whitespace, / or >).
const BODY_END = /<\/body(?=[\t\n\f\r />]|$)/gi;

/**
 * Inserts the open-tracking pixel just before the last `</body>` (any case), or at the very end
 * when the HTML has no body end tag. The URL is HTML-escaped into `src`.
 *
 * @throws TypeError when `pixelUrl` is not an absolute http: or https: URL.
 */
export function insertOpenPixel(html: string, pixelUrl: string): string {
  if (!/^https?:\/\//i.test(pixelUrl) || !URL.canParse(pixelUrl)) {
    throw new TypeError('open pixel URL must be an absolute http: or https: URL');
  }
  const pixel = `<img src="${escapeAttributeValue(pixelUrl)}" width="1" height="1" alt="" style="display:none;border:0;" />`;
  const bodyEnd = [...html.matchAll(BODY_END)].at(-1)?.index;
  return bodyEnd === undefined ? html + pixel : html.slice(0, bodyEnd) + pixel + html.slice(bodyEnd);
}
