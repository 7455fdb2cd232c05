import { generateKeyPairSync } from 'node:crypto';

/** A new DKIM signing key and what to publish for it. */
export interface DkimKeyPair {
  /** `"mq"` + UTC year and month, e.g. `"mq202401"`: a fresh selector per rotation. */
  selector: string;
  /** PKCS#8 PEM; keep it secret, it goes to the signer only. */
  privateKeyPem: string;
  /** SubjectPublicKeyInfo DER in base64, the `p=` tag value (RFC 6376 §3.6.1). */
  publicKeyBase64: string;
}

// RFC 8301 §3.2: signers MUST use RSA keys of at least 1024 bits and SHOULD use 2048. 4096-bit
// keys (~740 base64 characters) exceed the TXT size some DNS hosts accept, for no benefit
// receivers reward.
const MODULUS_BITS = 2048;

/**
 * Generates an RSA-2048 DKIM key pair. The selector is dated so a rotation publishes a new
 * name while the old key stays in DNS for messages still in flight (RFC 6376 §3.1).
 *
 * @param now the clock, so tests get a predictable selector
 */
export function generateDkimKeyPair(now: Date = new Date()): DkimKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: MODULUS_BITS,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return {
    selector: `mq${now.getUTCFullYear()}${month}`,
    privateKeyPem: privateKey,
    publicKeyBase64: publicKey.toString('base64'),
  };
}

/**
 * The DKIM key record for the selector's TXT (RFC 6376 §3.6.1), e.g.
 * `v=DKIM1; k=rsa; p=MIIBIjANBg...`. A 2048-bit key is ~400 characters, more than one
 * 255-byte character-string: DNS hosts split it and verifiers join the strings again
 * (RFC 6376 §3.6.2.2), so publish it as one value.
 *
 * @throws Error when the key is not plain base64 (e.g. a PEM with headers was passed).
 */
export function dkimTxtValue(publicKeyBase64: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(publicKeyBase64)) {
    throw new Error('DKIM public key must be base64 SubjectPublicKeyInfo without PEM headers or whitespace');
  }
  return `v=DKIM1; k=rsa; p=${publicKeyBase64}`;
}
