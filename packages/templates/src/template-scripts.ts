// Lua scripts of the template store. Every write that touches the template
// hash and the name index runs as one script: a name must be checked and
// claimed atomically, which MULTI alone cannot do, and WATCH is not reliable
// through ioredis' Cluster client. Both keys carry the `{tenant:<id>}` hash
// tag, so each script stays in one slot on Redis Cluster.
//
// KEYS[1] = `…:templates` (id → JSON), KEYS[2] = `…:template-names` (name → id).

/** ARGV: name. Returns the template JSON or nil. */
export const READ_BY_NAME = `
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[1], id)
`;

/** ARGV: id, name, JSON. Returns 1, or 0 when the name is taken. */
export const CREATE = `
if redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 1
`;

/**
 * ARGV: id, JSON read before the change, old name, new name, new JSON.
 * Compare-and-set: returns 'stale' when the record changed (or went) since it
 * was read, 'taken' when the new name belongs to another template, else 'ok'.
 */
export const UPDATE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 'stale' end
if ARGV[3] ~= ARGV[4] then
  if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 1 then return 'taken' end
  redis.call('HDEL', KEYS[2], ARGV[3])
  redis.call('HSET', KEYS[2], ARGV[4], ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[5])
return 'ok'
`;

/**
 * ARGV: id. Returns 1, or 0 when there is no such template. The name is read
 * from the record inside the script, so a concurrent rename cannot leave a
 * dangling name behind.
 */
export const DELETE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local name = cjson.decode(current).name
if redis.call('HGET', KEYS[2], name) == ARGV[1] then redis.call('HDEL', KEYS[2], name) end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;
