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
