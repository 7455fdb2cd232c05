/** Size of the messages of the throughput scenarios (the "1–2 KB"). */
export const DEFAULT_MESSAGE_BYTES = 1_500;

const WORDS =
  'delivery receipt order invoice account password reset confirm shipping welcome update notice ' +
  'subscription payment reminder security alert verify address thanks team support ticket';

function filler(chars: number): string {
  let out = '';
  while (out.length < chars) out += WORDS + ' ';
  return out.slice(0, chars);
}

export interface SampleEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * A transactional message whose JSON is `bytes` long (±1): a text part and an
 * HTML part of equal size. Valid for the product's contract and the baselines'.
 */
export function sampleEmail(bytes = DEFAULT_MESSAGE_BYTES, subject = 'Your order has shipped'): SampleEmail {
  const base: SampleEmail = {
    from: 'Shop <orders@shop.example.com>',
    to: ['customer@example.net'],
    subject,
    text: '',
    html: '',
  };
  const overhead = JSON.stringify(base).length + '<p></p>'.length;
  const body = Math.max(0, bytes - overhead);
  const text = filler(Math.floor(body / 2));
  const html = `<p>${filler(body - text.length)}</p>`;
  return { ...base, text, html };
}

/** Bytes of the JSON a client sends for this message: the "payload" of the memory figures. */
export function payloadBytes(email: SampleEmail): number {
  return Buffer.byteLength(JSON.stringify(email));
}

/**
 * A shipping notice as a shop would send it: text and HTML parts with an order number, a
 * tracking number and a link token that differ in every message (about 1.3 KB of JSON with one
 * item; each further item, with its own SKU and price, adds ~150 B). Unlike `sampleEmail`'s
 * repeated word list it compresses as real mail does, so it is the body the compression figures use.
 */
export function realisticEmail(items = 1, random: () => number = Math.random): SampleEmail {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  const token = Array.from({ length: 32 }, () =>
    pick([...'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789']),
  ).join('');
  const name = pick(['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara']);
  const order = digits(8);
  const tracking = `1Z${digits(16)}`;
  const link = `https://shop.example.com/orders/${order}/track?t=${token}`;
  const lines = Array.from({ length: items }, (_, i) => ({
    name: i === 0 ? 'Merino wool sweater (M, navy)' : `${pick(PRODUCTS)} (${pick(SIZES)}, ${pick(COLOURS)})`,
    sku: `SKU-${digits(6)}`,
    price: `$${digits(2)}.${digits(2)}`,
  }));
  const text = [
    `Hi ${name},`,
    '',
    `Good news: your order #${order} has shipped and is on its way.`,
    '',
    'Carrier: UPS',
    `Tracking number: ${tracking}`,
    'Estimated delivery: Tuesday, December 1',
    '',
    `Track your package: ${link}`,
    '',
    'Items:',
    ...lines.map((line) => `  1 x ${line.name} [${line.sku}] - ${line.price}`),
    'Shipping to: 42 Harbour Street, Apt 3, Portland, OR 97201',
    '',
    'Questions? Reply to this email or visit https://shop.example.com/help.',
    '',
    'The Shop team',
  ].join('\n');
  const html =
    '<!doctype html><html><body style="font-family:Arial,sans-serif;color:#222">' +
    `<h1 style="font-size:20px">Your order has shipped</h1><p>Hi ${name},</p>` +
    `<p>Good news: your order <b>#${order}</b> is on its way.</p>` +
    '<table style="border-collapse:collapse"><tr><td>Carrier</td><td>UPS</td></tr>' +
    `<tr><td>Tracking</td><td>${tracking}</td></tr>` +
    '<tr><td>Estimated delivery</td><td>Tuesday, December 1</td></tr></table>' +
    '<table style="width:100%;border-collapse:collapse">' +
    lines
      .map(
        (line) =>
          `<tr><td style="padding:6px 0;border-bottom:1px solid #eee">${line.name}<br><span style="color:#888">${line.sku}</span></td>` +
          `<td style="text-align:right">${line.price}</td></tr>`,
      )
      .join('') +
    '</table>' +
    `<p><a href="${link}" style="background:#0a7;color:#fff;padding:10px 16px;text-decoration:none">Track your package</a></p>` +
    '<p style="color:#888;font-size:12px">Shop Inc., 1 Market St, San Francisco, CA</p></body></html>';
  return {
    from: 'Shop <orders@shop.example.com>',
    to: ['customer@example.net'],
    subject: `Your order #${order} has shipped`,
    text,
    html,
  };
}

const PRODUCTS = ['Linen shirt', 'Canvas tote', 'Leather belt', 'Wool scarf', 'Cotton socks', 'Rain jacket'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL'];
const COLOURS = ['navy', 'black', 'olive', 'sand', 'grey', 'rust'];
