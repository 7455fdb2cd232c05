import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';

describe('base64url', () => {
  it('encodes without padding and with the URL-safe alphabet (RFC 4648 §5)', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect(encodeBase64Url(new TextEncoder().encode('f'))).toBe('Zg');
    expect(encodeBase64Url(new Uint8Array())).toBe('');
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(decodeBase64Url(encodeBase64Url(all))).toEqual(all);
  });

  it.each(['Zg==', 'Zh', 'a+b/', 'abcde', 'ab cd'])('refuses %j', (text) => {
    expect(decodeBase64Url(text)).toBeNull();
  });
});
