import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from './base64url';
import type { TrackingClaims } from './tracking-claims';
import type { TrackingKeys } from './tracking-keys';
import { signTrackingToken, verifyTrackingToken } from './tracking-token';

const K1 = { id: 'k1', secret: 'first-secret-0123456789abcdefghijklmnop' };
const K2 = { id: 'k2', secret: 'c2Vjb25kLXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm' };
const ONLY_K1: TrackingKeys = { current: K1 };

const click: TrackingClaims = {
  k: 'c',
  m: 'msg_01HZX3K9T4Q8',
  t: 'tenant_acme',
  r: 'jane@example.com',
  u: 'https://example.com/pricing?utm_source=mail&plan=pro',
};
const open: TrackingClaims = { k: 'o', m: 'msg_01HZX3K9T4Q8', t: 'tenant_acme' };

const encoder = new TextEncoder();

/** A token MAC'd exactly as the signer would, but over any payload: what an attacker holding a key could do. */
async function forge(payload: unknown, key = K1): Promise<string> {
  const body = encodeBase64Url(encoder.encode(JSON.stringify(payload)));
  const hmac = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key.secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', hmac, encoder.encode(`mailq-tracking-v1.${body}.${key.id}`));
  return `${body}.${key.id}.${encodeBase64Url(new Uint8Array(mac))}`;
}

function parts(token: string): [string, string, string] {
  const [payload = '', keyId = '', mac = ''] = token.split('.');
  return [payload, keyId, mac];
}

describe('signTrackingToken / verifyTrackingToken', () => {
  it('round-trips click and open claims', async () => {
    expect(await verifyTrackingToken(await signTrackingToken(click, ONLY_K1), ONLY_K1)).toEqual(click);
    expect(await verifyTrackingToken(await signTrackingToken(open, ONLY_K1), ONLY_K1)).toEqual(open);
  });

  it('round-trips an internationalised recipient and URL', async () => {
    const claims: TrackingClaims = { ...click, r: 'jörg@bücher.example', u: 'https://bücher.example/ü?q=ß' };
    expect(await verifyTrackingToken(await signTrackingToken(claims, ONLY_K1), ONLY_K1)).toEqual(claims);
  });

  it('produces a URL-safe token: base64url payload, key id, 43-character MAC, no padding', async () => {
    const token = await signTrackingToken(click, ONLY_K1);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.k1\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('signs with the current key', async () => {
    const token = await signTrackingToken(open, { current: K2, previous: [K1] });
    expect(parts(token)[1]).toBe('k2');
  });

  it('checks the kind when asked to', async () => {
    const token = await signTrackingToken(click, ONLY_K1);
    expect(await verifyTrackingToken(token, ONLY_K1, { kind: 'c' })).toEqual(click);
    expect(await verifyTrackingToken(token, ONLY_K1, { kind: 'o' })).toBeNull();
  });

  it('stays under 600 characters for a 200-character URL', async () => {
    const u = `https://shop.example.com/${'p'.repeat(200 - 'https://shop.example.com/'.length)}`;
    expect(u).toHaveLength(200);
    const claims: TrackingClaims = {
      k: 'c',
      m: '01J9ZQ4W8K3V6T2M5N7P0R1S4X',
      t: '6f1c2e0a-8b4d-4f3e-9a7b-2c5d8e1f0a3b',
      r: 'firstname.lastname@subsidiary.example.com',
      u,
    };
    const token = await signTrackingToken(claims, ONLY_K1);
    expect(token.length).toBeLessThan(600);
    expect(await verifyTrackingToken(token, ONLY_K1)).toEqual(claims);
  });

  it('signs targets up to 4096 characters and refuses longer ones or ones too long to verify', async () => {
    const at = (length: number) => `https://example.com/${'a'.repeat(length - 20)}`;
    const longest = { ...click, u: at(4096) };
    expect(await verifyTrackingToken(await signTrackingToken(longest, ONLY_K1), ONLY_K1)).toEqual(longest);
    await expect(signTrackingToken({ ...click, u: at(4097) }, ONLY_K1)).rejects.toThrow(/at most 4096/);
    const wide = { ...click, u: `https://example.com/${'€'.repeat(4000)}` };
    await expect(signTrackingToken(wide, ONLY_K1)).rejects.toThrow(/exceed 8192/);
  });

  describe('tampering', () => {
    it('refuses a payload changed after signing', async () => {
      const [, keyId, mac] = parts(await signTrackingToken(click, ONLY_K1));
      const evil = encodeBase64Url(encoder.encode(JSON.stringify({ ...click, u: 'https://evil.example/' })));
      expect(await verifyTrackingToken(`${evil}.${keyId}.${mac}`, ONLY_K1)).toBeNull();
    });

    it('refuses a single flipped payload character', async () => {
      const [payload, keyId, mac] = parts(await signTrackingToken(click, ONLY_K1));
      const flipped = (payload[0] === 'A' ? 'B' : 'A') + payload.slice(1);
      expect(await verifyTrackingToken(`${flipped}.${keyId}.${mac}`, ONLY_K1)).toBeNull();
    });

    it('refuses a changed MAC, including one from another token', async () => {
      const [payload, keyId, mac] = parts(await signTrackingToken(click, ONLY_K1));
      const [, , otherMac] = parts(await signTrackingToken(open, ONLY_K1));
      const changed = (mac[0] === 'A' ? 'B' : 'A') + mac.slice(1);
      expect(await verifyTrackingToken(`${payload}.${keyId}.${changed}`, ONLY_K1)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.${keyId}.${otherMac}`, ONLY_K1)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.${keyId}.${mac.slice(0, -1)}`, ONLY_K1)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.${keyId}.`, ONLY_K1)).toBeNull();
    });

    it('refuses a non-canonical spelling of the same MAC bytes', async () => {
      const [payload, keyId, mac] = parts(await signTrackingToken(click, ONLY_K1));
      // 32 bytes → 43 characters; the last one carries 2 spare bits that must be zero.
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(mac.slice(-1));
      const twin = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last + 1] ?? 'B';
      expect(decodeBase64Url(mac.slice(0, -1) + twin)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.${keyId}.${mac.slice(0, -1)}${twin}`, ONLY_K1)).toBeNull();
    });

    it('refuses a swapped or unknown key id', async () => {
      const keys: TrackingKeys = { current: K2, previous: [K1] };
      const [payload, , mac] = parts(await signTrackingToken(click, keys));
      expect(await verifyTrackingToken(`${payload}.k1.${mac}`, keys)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.k9.${mac}`, keys)).toBeNull();
      expect(await verifyTrackingToken(`${payload}.K2.${mac}`, keys)).toBeNull();
    });

    it('refuses a token signed with a key this deployment does not have', async () => {
      const foreign = { id: 'k1', secret: 'somebody-elses-secret-0123456789abcdef' };
      const token = await signTrackingToken(click, { current: foreign });
      expect(await verifyTrackingToken(token, ONLY_K1)).toBeNull();
    });
  });

  describe('rotation', () => {
    it('accepts a token from a retired key while it is listed, and refuses it once removed', async () => {
      const token = await signTrackingToken(click, { current: K1 });
      expect(await verifyTrackingToken(token, { current: K2, previous: [K1] })).toEqual(click);
      expect(await verifyTrackingToken(token, { current: K2 })).toBeNull();
      expect(await verifyTrackingToken(token, { current: K2, previous: [] })).toBeNull();
    });
  });

  describe('unsafe click targets', () => {
    it.each([
      'javascript:alert(document.cookie)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'ftp://example.com/file',
      '/relative/path',
      '//evil.example/',
      'https://example.com/\r\nSet-Cookie: a=b',
      'https://',
    ])('refuses %j at sign time and at verify time', async (u) => {
      await expect(signTrackingToken({ ...click, u }, ONLY_K1)).rejects.toThrow(TypeError);
      expect(await verifyTrackingToken(await forge({ ...click, u }), ONLY_K1)).toBeNull();
    });

    it('accepts a genuinely signed http: URL (the forge helper matches the signer)', async () => {
      const claims = { ...click, u: 'http://example.com/' };
      expect(await verifyTrackingToken(await forge(claims), ONLY_K1)).toEqual(claims);
    });
  });

  describe('claims shape', () => {
    it.each<[string, unknown]>([
      ['an unknown field', { ...open, x: 1 }],
      ['a URL on an open', { ...open, u: 'https://example.com/' }],
      ['a click without URL', { k: 'c', m: 'm1', t: 't1' }],
      ['an unknown kind', { ...open, k: 'x' }],
      ['an empty message id', { ...open, m: '' }],
      ['a numeric tenant id', { ...open, t: 42 }],
      ['a recipient with a newline', { ...open, r: 'a@b.example\nBcc: c@d.example' }],
      ['an array', [open]],
      ['null', null],
      ['a __proto__ key', JSON.parse('{"k":"o","m":"m1","t":"t1","__proto__":{"u":"x"}}')],
    ])('refuses %s even when genuinely signed', async (_label, payload) => {
      expect(await verifyTrackingToken(await forge(payload), ONLY_K1)).toBeNull();
    });

    it('refuses the same shapes at sign time', async () => {
      const bad: TrackingClaims = { ...open, u: 'https://example.com/' };
      await expect(signTrackingToken(bad, ONLY_K1)).rejects.toThrow(/u is for clicks only/);
      await expect(signTrackingToken({ k: 'c', m: 'm1', t: 't1' }, ONLY_K1)).rejects.toThrow(TypeError);
    });

    it('refuses a payload that is not JSON or not UTF-8', async () => {
      const [, keyId] = parts(await signTrackingToken(open, ONLY_K1));
      for (const body of [encoder.encode('not json'), new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])]) {
        const payload = encodeBase64Url(body);
        const hmac = await crypto.subtle.importKey(
          'raw',
          encoder.encode(K1.secret),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign'],
        );
        const mac = await crypto.subtle.sign(
          'HMAC',
          hmac,
          encoder.encode(`mailq-tracking-v1.${payload}.${keyId}`),
        );
        const token = `${payload}.${keyId}.${encodeBase64Url(new Uint8Array(mac))}`;
        expect(await verifyTrackingToken(token, ONLY_K1)).toBeNull();
      }
    });
  });

  describe('malformed tokens', () => {
    it.each([
      '',
      '.',
      '..',
      'abc',
      'a.b',
      'a.k1.b.c',
      '!!!.k1.abc',
      'eyJ9.k1.+/+/',
      `${'A'.repeat(20_000)}.k1.A`,
    ])('returns null for %j', async (token) => {
      expect(await verifyTrackingToken(token, ONLY_K1)).toBeNull();
    });
  });

  it('refuses to sign with a malformed current key', async () => {
    await expect(signTrackingToken(open, { current: { id: 'k.1', secret: K1.secret } })).rejects.toThrow(
      /key id/,
    );
    await expect(signTrackingToken(open, { current: { id: 'k1', secret: 'short' } })).rejects.toThrow(
      /at least 32 characters/,
    );
  });
});
