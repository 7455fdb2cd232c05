import { describe, expect, it, vi } from 'vitest';
import { rewriteLinks } from './link-rewriter';

// A tracker whose URLs have no characters needing escapes, so expected strings stay readable.
const byPath = (href: string) => `https://t.example/c/${encodeURIComponent(href)}`;
// One whose URLs carry `&`, to see escaping on the way back into the attribute.
const byQuery = (href: string) => `https://t.example/c?v=1&u=${encodeURIComponent(href)}`;

describe('rewriteLinks', () => {
  it('replaces only the href values of <a> tags, keeping quotes, case and every other byte', async () => {
    const html = [
      '<p>Hi <a href="https://example.com/a" style="color:red">A</a>,',
      "<A class=btn HREF='http://example.com/b'>B</A>,",
      '<a\n  title="x > y"\n  href=https://example.com/c>C</a></p>',
    ].join('\n');
    expect(await rewriteLinks(html, byPath)).toBe(
      [
        '<p>Hi <a href="https://t.example/c/https%3A%2F%2Fexample.com%2Fa" style="color:red">A</a>,',
        "<A class=btn HREF='https://t.example/c/http%3A%2F%2Fexample.com%2Fb'>B</A>,",
        '<a\n  title="x > y"\n  href=https://t.example/c/https%3A%2F%2Fexample.com%2Fc>C</a></p>',
      ].join('\n'),
    );
  });

  it('decodes entities before handing the href over and escapes the tracked URL into the attribute', async () => {
    const seen: string[] = [];
    const html = '<a href="https://example.com/?a=1&amp;b=2&#38;c=3&#x26;d=4">x</a>';
    const out = await rewriteLinks(html, (href) => {
      seen.push(href);
      return byQuery(href);
    });
    expect(seen).toEqual(['https://example.com/?a=1&b=2&c=3&d=4']);
    expect(out).toBe(
      '<a href="https://t.example/c?v=1&amp;u=https%3A%2F%2Fexample.com%2F%3Fa%3D1%26b%3D2%26c%3D3%26d%3D4">x</a>',
    );
  });

  it('keeps a legacy-looking reference literal where browsers do (`&copy=` in a query)', async () => {
    const seen: string[] = [];
    await rewriteLinks('<a href="https://example.com/?x=1&copy=2&not">x</a>', (href) => {
      seen.push(href);
      return href;
    });
    expect(seen).toEqual(['https://example.com/?x=1&copy=2\u00ac']);
  });

  it('quotes an unquoted value when the tracked URL needs it, and escapes quotes and brackets', async () => {
    expect(await rewriteLinks('<a href=https://example.com/q>q</a>', byQuery)).toBe(
      '<a href="https://t.example/c?v=1&amp;u=https%3A%2F%2Fexample.com%2Fq">q</a>',
    );
    expect(await rewriteLinks(`<a href='https://example.com/'>q</a>`, () => `https://t.example/"'<>`)).toBe(
      `<a href='https://t.example/&quot;&#39;&lt;&gt;'>q</a>`,
    );
  });

  it('hands over the href as a browser would follow it: surrounding whitespace and inner newlines dropped', async () => {
    const seen: string[] = [];
    const out = await rewriteLinks('<a href=" https://example.com/long-\n-path\t">x</a>', (href) => {
      seen.push(href);
      return 'https://t.example/1';
    });
    expect(seen).toEqual(['https://example.com/long--path']);
    expect(out).toBe('<a href="https://t.example/1">x</a>');
  });

  it.each([
    ['mailto:', '<a href="mailto:jane@example.com?subject=Hi">mail</a>'],
    ['tel:', '<a href="tel:+15555550100">call</a>'],
    ['an anchor', '<a href="#section-2">jump</a>'],
    ['a relative path', '<a href="/account/settings">settings</a>'],
    ['a bare relative file', '<a href="page.html">page</a>'],
    ['a scheme-relative URL', '<a href="//cdn.example.com/x">cdn</a>'],
    ['javascript:', '<a href="javascript:alert(1)">x</a>'],
    ['ftp:', '<a href="ftp://example.com/file">x</a>'],
    ['an empty href', '<a href="">x</a>'],
    ['a bare href', '<a href>x</a>'],
    ['no href', '<a name="top">x</a>'],
    ['data-mq-notrack', '<a href="https://example.com/keep" data-mq-notrack>x</a>'],
    ['DATA-MQ-NOTRACK with a value', "<a DATA-MQ-NOTRACK='1' href='https://example.com/keep'>x</a>"],
    ['a whole-href merge tag', '<a href="{{unsubscribe_url}}">x</a>'],
    ['a merge tag in the query', '<a href="https://example.com/?id={{ user.id }}">x</a>'],
    ['a Liquid tag', '<a href="https://example.com/{% if a %}x{% endif %}">x</a>'],
    ['a Mailchimp merge tag', '<a href="https://example.com/?e=*|EMAIL|*">x</a>'],
    ['a percent-encoded merge tag', '<a href="https://example.com/?id=%7B%7Bid%7D%7D">x</a>'],
    ['an entity it cannot decode for sure', '<a href="https://example.com/?a=1&zwnj;b">x</a>'],
    ['a windows-1252 numeric reference', '<a href="https://example.com/&#128;">x</a>'],
    ['a control character', '<a href="https://example.com/a&#1;b">x</a>'],
    [
      'other tags',
      '<link href="https://example.com/s.css"><area href="https://example.com/m"><base href="https://example.com/">',
    ],
    ['a comment', '<!-- <a href="https://example.com/old">old</a> -->'],
    ['a <style> block', '<style>a[href="x"]::after{content:"<a href=\'https://example.com/\'>"}</style>'],
    ['a <title>', '<title><a href="https://example.com/t">t</a></title>'],
    ['markup inside another attribute', `<img alt='<a href="https://example.com/x">'>`],
    ['a tag cut off by the end of input', '<p>x</p><a href="https://example.com/x'],
  ])('leaves %s untouched', async (_label, html) => {
    const toTrackedUrl = vi.fn(byPath);
    expect(await rewriteLinks(html, toTrackedUrl)).toBe(html);
    expect(toTrackedUrl).not.toHaveBeenCalled();
  });

  it('rewrites links inside Outlook conditional comments and after comments and raw text', async () => {
    const html =
      '<!--[if mso]><a href="https://example.com/o">O</a><![endif]-->' +
      '<!--[if !mso]><!--><a href="https://example.com/n">N</a><!--<![endif]-->' +
      '<!-- c --><style>p{}</style><a href="https://example.com/after">A</a>';
    expect(await rewriteLinks(html, (href) => href.replace('example.com', 't.example'))).toBe(
      html.replace(/example\.com/g, 't.example'),
    );
  });

  it('reads sloppy markup the way browsers do', async () => {
    const html =
      '<a/href="https://example.com/1"title=x><a href = \'https://example.com/2\'/><!----><!--><a href=https://example.com/3>';
    expect(await rewriteLinks(html, (href) => href.replace('example.com', 't.example'))).toBe(
      html.replace(/example\.com/g, 't.example'),
    );
  });

  it('rewrites only the first of duplicate hrefs, the one browsers use', async () => {
    expect(
      await rewriteLinks(
        '<a href="https://example.com/1" href="https://example.com/2">x</a>',
        () => 'https://t/1',
      ),
    ).toBe('<a href="https://t/1" href="https://example.com/2">x</a>');
  });

  it('calls the tracker once per link in document order, awaiting async results', async () => {
    const calls: string[] = [];
    const html =
      '<a href="https://a.example/">a</a><a href="https://b.example/">b</a><a href="https://a.example/">a</a>';
    const out = await rewriteLinks(html, async (href) => {
      calls.push(href);
      await new Promise((resolve) => setTimeout(resolve, href.includes('a.') ? 5 : 0));
      return `${href}t`;
    });
    expect(calls).toEqual(['https://a.example/', 'https://b.example/', 'https://a.example/']);
    expect(out).toBe(
      '<a href="https://a.example/t">a</a><a href="https://b.example/t">b</a><a href="https://a.example/t">a</a>',
    );
  });

  it('rejects when the tracker does', async () => {
    await expect(
      rewriteLinks('<a href="https://example.com/">x</a>', () => Promise.reject(new Error('no key'))),
    ).rejects.toThrow('no key');
  });

  it('keeps an uppercase scheme as written', async () => {
    const seen: string[] = [];
    await rewriteLinks('<a href="HTTPS://EXAMPLE.COM/Path">x</a>', (href) => {
      seen.push(href);
      return href;
    });
    expect(seen).toEqual(['HTTPS://EXAMPLE.COM/Path']);
  });

  it('returns the HTML unchanged when there is nothing to track', async () => {
    const html = '<!doctype html><html><body><p>No links &amp; no worries</p></body></html>';
    expect(await rewriteLinks(html, byPath)).toBe(html);
  });
});
