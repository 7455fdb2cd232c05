import { createHash } from 'node:crypto';
import type { RedisClient } from '@mailq/queues';

type ScriptArg = string | number;

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not
 * know it yet (fresh node, SCRIPT FLUSH, failover to a replica that never saw
 * it). Sending only the 40-byte digest keeps the hot path small. On Redis
 * Cluster the command is routed by its first key, so all KEYS of one call must
 * share a hash tag.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** The reply of a script returning a flat Lua table, as strings (Lua numbers arrive as integers). */
export function replyFields(reply: unknown): string[] {
  if (!Array.isArray(reply)) throw new TypeError(`unexpected Lua script reply: ${JSON.stringify(reply)}`);
  return reply.map((field) => String(field));
}
