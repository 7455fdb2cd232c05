import type { Principal } from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import { cachedLookup } from './cached-lookup';
import { randomToken, sha256Hex } from './hashing';
import type { StoreKeys } from './keys';

/** Recognisable prefix, so leaked keys are easy to spot (and to scan for in repositories). */
export const API_KEY_PREFIX = 'mq_';
const KEY_SHAPE = /^mq_[A-Za-z0-9_-]{20,100}$/;
/**
 * How long a process trusts a key it has resolved: every request carries its
 * key, and asking Redis each time was one dependent round trip per send. A key
 * deleted from Redis stops working everywhere within this time.
 */
export const API_KEY_CACHE_MS = 5_000;

export interface CreatedApiKey {
  keyId: string;
  tenantId: string;
  /** The secret itself: shown once, never stored. */
  key: string;
  /** First characters, safe to show in listings. */
  hint: string;
}

/**
 * API keys, stored only as SHA-256 of the secret. A high-entropy random key
 * needs no slow hash: the digest cannot be reversed or brute-forced.
 */
export class ApiKeyStore {
  // Keyed by the secret's hash; unknown keys are never remembered, so a new key works at once.
  private readonly principalOf = cachedLookup(API_KEY_CACHE_MS, (hash) => this.lookup(hash), {
    keep: (principal) => principal !== null,
  });

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a key for a tenant. `secret` may be supplied (the dev key); otherwise 32 random bytes. */
  async create(
    tenantId: string,
    name: string,
    secret = `${API_KEY_PREFIX}${randomToken(32)}`,
  ): Promise<CreatedApiKey> {
    if (!KEY_SHAPE.test(secret)) {
      throw new Error(`API keys look like ${API_KEY_PREFIX} followed by 20-100 URL-safe characters`);
    }
    const keyId = `key_${randomToken(9)}`;
    const hash = sha256Hex(secret);
    const hint = secret.slice(0, 8);
    await this.redis.hset(this.keys.apiKey(hash), {
      keyId,
      tenantId,
      name,
      hint,
      createdAt: this.now().toISOString(),
    });
    await this.redis.hset(this.keys.tenantKeys(tenantId), keyId, hash);
    return { keyId, tenantId, key: secret, hint };
  }

  /** The principal a presented key stands for, or null. */
  async resolve(presented: string): Promise<Principal | null> {
    if (!KEY_SHAPE.test(presented)) return null;
    return this.principalOf(sha256Hex(presented));
  }

  private async lookup(hash: string): Promise<Principal | null> {
    const [keyId, tenantId] = await this.redis.hmget(this.keys.apiKey(hash), 'keyId', 'tenantId');
    return keyId && tenantId ? { keyId, tenantId } : null;
  }
}
