import type { RedisClient } from '@mailq/queues';
import { sha256Hex } from './hashing';
import type { StoreKeys } from './keys';
import { LuaScript, replyFields } from './lua-script';

export type IdempotencyClaim =
  | { status: 'claimed' }
  /** Store again with the first attempt's `attempt` (its ids): that one may have been stored in part or whole. */
  | { status: 'resume'; attempt: string }
  | { status: 'replay'; value: string }
  | { status: 'in_progress' }
  | { status: 'conflict' };

/**
 * A claim not completed after this long is taken over by a retry (its request is
 * over: the relay's Redis calls time out in seconds), which stores the same
 * messages again under the same ids.
 */
export const STALE_CLAIM_MS = 60_000;

/**
 * KEYS: the claim. ARGV: fingerprint, attempt, now (ms), stale after (ms), TTL (s).
 * Records are JSON `{fingerprint, attempt, at, done, failed?, value?}`; a record without
 * `at` (written before attempts were kept) counts as stale.
 */
const CLAIM = new LuaScript(`
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[3])
if not raw then
  local record = {fingerprint = ARGV[1], attempt = ARGV[2], at = now, done = false}
  redis.call('SET', KEYS[1], cjson.encode(record), 'EX', ARGV[5])
  return {'claimed'}
end
local record = cjson.decode(raw)
if record.fingerprint ~= ARGV[1] then return {'conflict'} end
if record.done then return {'replay', record.value} end
if record.failed or now - (tonumber(record.at) or 0) >= tonumber(ARGV[4]) then
  record.failed = false
  record.at = now
  redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
  return {'resume', record.attempt or ''}
end
return {'in_progress'}
`);

/** KEYS: the claim. Marks a claim whose store failed, so the next retry resumes it at once. */
const FAIL = new LuaScript(`
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record.done then return 0 end
record.failed = true
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1
`);

/**
 * Idempotency keys per tenant (24 h). The first request claims the key with the
 * fingerprint of its body and its attempt — the ids (and time) its messages
 * will have — and completes the claim with its result once they are stored. A
 * repeat with the same fingerprint replays the result (only once complete, so a
 * 2xx is never given for messages not yet stored); a different body is a
 * conflict; a repeat while the first is still storing is told to retry.
 *
 * A store that failed may still have reached Redis (a reply lost on a dropped
 * connection, a timeout after the write), and a relay may die between storing
 * and completing. So a failed claim is kept, marked failed, and the next repeat
 * resumes it: it stores the same messages under the same ids again (harmless:
 * the job id is the message id, and records are then written without
 * overwriting), so a retried request never becomes a second message. A claim
 * left pending by a relay that died is resumed the same way after
 * {@link STALE_CLAIM_MS}.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly ttlSeconds: number,
  ) {}

  async claim(
    tenantId: string,
    key: string,
    fingerprint: string,
    attempt: string,
    now: number,
  ): Promise<IdempotencyClaim> {
    const args = [fingerprint, attempt, now, STALE_CLAIM_MS, this.ttlSeconds];
    const [status = '', value = ''] = replyFields(
      await CLAIM.run(this.redis, [this.key(tenantId, key)], args),
    );
    switch (status) {
      case 'claimed':
      case 'in_progress':
      case 'conflict':
        return { status };
      case 'replay':
        return { status, value };
      case 'resume':
        return { status, attempt: value };
      default:
        throw new TypeError(`unexpected idempotency claim reply: ${status}`);
    }
  }

  /** Completes a claim once its request's messages are stored, keeping it for the full TTL. */
  async complete(tenantId: string, key: string, fingerprint: string, value: string): Promise<void> {
    const done = { fingerprint, value, done: true };
    await this.redis.set(this.key(tenantId, key), JSON.stringify(done), 'EX', this.ttlSeconds);
  }

  /** After a store that failed and may have been written in part: the next repeat resumes it. */
  async fail(tenantId: string, key: string): Promise<void> {
    await FAIL.run(this.redis, [this.key(tenantId, key)], []);
  }

  /** Gives the key back when its request was refused before anything was stored. */
  async release(tenantId: string, key: string): Promise<void> {
    await this.redis.del(this.key(tenantId, key));
  }

  private key(tenantId: string, key: string): string {
    return this.keys.idempotency(tenantId, sha256Hex(key));
  }
}
