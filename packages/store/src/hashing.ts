import { createHash, randomBytes } from 'node:crypto';

/** Hex SHA-256; API keys and idempotency keys are stored only in this form. */
export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}

/** URL-safe random token of `bytes` bytes of entropy. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
