import type { Redis } from 'ioredis';

/** Redis memory by kind of key (ids replaced by placeholders), per queued message. */
export interface KeyClass {
  pattern: string;
  keys: number;
  /** Bytes (MEMORY USAGE, sampled for large classes) per queued message. */
  bytesPerMessage: number;
}

const SAMPLE = 40;

/** `{bench}:email:8c1f…` → `{bench}:email:<id>`: one pattern per kind of key. */
export function keyPattern(key: string): string {
  return key
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/tn_[A-Za-z0-9_-]+/g, '<tenant>')
    .replace(/[0-9a-f]{64}/g, '<hash>')
    .replace(/:\d+$/, ':<n>');
}

/**
 * Scans every key of one node, groups them by pattern and estimates each
 * group's memory from MEMORY USAGE of a sample (exact for small groups).
 */
export async function memoryBreakdown(node: Redis, messages: number): Promise<KeyClass[]> {
  const classes = new Map<string, string[]>();
  let cursor = '0';
  do {
    const [next, keys] = await node.scan(cursor, 'COUNT', 2000);
    cursor = next;
    for (const key of keys) {
      const pattern = keyPattern(key);
      const list = classes.get(pattern) ?? [];
      list.push(key);
      classes.set(pattern, list);
    }
  } while (cursor !== '0');
  const result: KeyClass[] = [];
  for (const [pattern, keys] of classes) {
    const sample =
      keys.length <= SAMPLE
        ? keys
        : Array.from({ length: SAMPLE }, (_, i) => keys[Math.floor((i * keys.length) / SAMPLE)] as string);
    const sizes = await Promise.all(sample.map((key) => node.memory('USAGE', key, 'SAMPLES', '0')));
    const sampled = sizes.reduce((sum: number, size) => sum + Number(size ?? 0), 0);
    const total = (sampled / sample.length) * keys.length;
    result.push({ pattern, keys: keys.length, bytesPerMessage: total / messages });
  }
  return result.sort((a, b) => b.bytesPerMessage - a.bytesPerMessage);
}
