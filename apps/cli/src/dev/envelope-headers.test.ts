import { describe, expect, it } from 'vitest';
import { envelopeHeaders } from './envelope-headers';

const address = (value: string) => ({ address: value, args: false as const });

describe('envelopeHeaders', () => {
  it('renders the null sender as <> and strips CR/LF from addresses', () => {
    const text = envelopeHeaders({
      mailFrom: false,
      rcptTo: [address('a@example.com\r\nBcc: x')],
    }).toString();
    expect(text).toBe('X-Mailq-Envelope-From: <>\r\nX-Mailq-Envelope-To: a@example.comBcc: x\r\n');
  });

  it('folds long recipient lists onto continuation lines', () => {
    const rcptTo = Array.from({ length: 10 }, (_, i) => address(`recipient-${i}@example.com`));
    const text = envelopeHeaders({ mailFrom: address('app@example.com'), rcptTo }).toString();
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((line) => line.length <= 78)).toBe(true);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.join('').replace('X-Mailq-Envelope-To: ', '').split(', ').length).toBe(10);
  });
});
