/** Slots of a Redis Cluster: every key hashes to one of them (Redis Cluster specification). */
export const CLUSTER_SLOTS = 16_384;

const utf8 = new TextEncoder();

/**
 * The Redis Cluster slot of a key: CRC16 (XMODEM) mod 16384 of its hash tag —
 * what lies between the first `{` and the next `}`, when that is not empty — or
 * of the whole key otherwise ("Keys distribution model" in the Redis Cluster
 * specification; `keySlot('123456789')` is 12739, its reference value).
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of utf8.encode(hashed)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % CLUSTER_SLOTS;
}
