import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { dkimTxtValue, generateDkimKeyPair } from './dkim-keys';

describe('generateDkimKeyPair', () => {
  const pair = generateDkimKeyPair(new Date('2024-01-31T23:59:59Z'));

  it('dates the selector with the UTC year and month', () => {
    expect(pair.selector).toBe('mq202401');
    expect(generateDkimKeyPair(new Date('2025-12-01T00:00:00Z')).selector).toBe('mq202512');
  });

  it('produces an RSA-2048 key whose public half is SPKI DER in base64', () => {
    const publicKey = createPublicKey({
      key: Buffer.from(pair.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('pairs the private key with the published public key', () => {
    const data = Buffer.from('dkim');
    const signature = sign('sha256', data, createPrivateKey(pair.privateKeyPem));
    const publicKey = createPublicKey({
      key: Buffer.from(pair.publicKeyBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(verify('sha256', data, publicKey, signature)).toBe(true);
  });

  it('generates a different key every time', () => {
    expect(generateDkimKeyPair().publicKeyBase64).not.toBe(pair.publicKeyBase64);
  });
});

describe('dkimTxtValue', () => {
  it('formats the key record', () => {
    expect(dkimTxtValue('MIIBIjANBgkq+/AB==')).toBe('v=DKIM1; k=rsa; p=MIIBIjANBgkq+/AB==');
  });

  it.each(['', '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----', 'MIIB IjAN', 'p=MIIB'])(
    'rejects %j',
    (value) => {
      expect(() => dkimTxtValue(value)).toThrow(/base64/);
    },
  );
});
