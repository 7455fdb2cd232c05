import { LuaScript } from '../lua-script';

// Shared by every script so acquire() and status() can never disagree about
// the effective rate or the window it turns into.
const PRELUDE = `
local function effective_rate(base, floor, factor)
  local rate = base * factor
  local minimum = math.min(base, floor)
  if rate < minimum then rate = minimum end
  return rate
end

-- At least 1/s: floor(rate) sends per 1000 ms. Below: 1 send per 1000/rate ms.
-- The 1e-9 keeps 1000/0.1 from rounding up to 10001 ms.
local function budget(rate)
  if rate >= 1 then return math.floor(rate), 1000 end
  return 1, math.ceil(1000 / rate - 1e-9)
end

local function slowdown(key, now)
  local fields = redis.call('HMGET', key, 'factor', 'until')
  local until_ms = tonumber(fields[2])
  if fields[1] and until_ms and until_ms > now then return tonumber(fields[1]), until_ms end
  return 1, 0
end
`;

/**
 * KEYS: sends, leases, slowdown, paused.
 * ARGV: now, base rate, floor rate, max connections, holder, lease TTL ms, send id, GC slack ms,
 * paused retry ms.
 * Returns {ok, kind, wait-or-expiry, limit, window, rate, factor, count}.
 *
 * Runs once per delivery on the destination's master, so it does as little as it can: expired
 * entries are only trimmed when the count that still includes them reaches the limit (if even
 * that count is under it, so is the true one) or every TRIM_EVERY-th send (bounding what stale
 * entries can pile up); a usual call is 7 Redis commands.
 */
export const ACQUIRE = new LuaScript(`${PRELUDE}
local TRIM_EVERY = 16
local sends, leases, slow, paused = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, base, floor = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_connections, holder, lease_ttl = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local send_id, slack, paused_retry = ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9])

-- A slow-down and an operator's pause are both rare: one EXISTS rules out both.
local factor = 1
local is_paused = false
if redis.call('EXISTS', slow, paused) > 0 then
  factor = slowdown(slow, now)
  is_paused = redis.call('EXISTS', paused) == 1
end
local rate = effective_rate(base, floor, factor)
local limit, window = budget(rate)
local srate, sfactor = tostring(rate), tostring(factor)

-- An operator's pause holds every send, checked in the same call so it costs no round trip.
if is_paused then
  return {0, 'paused', paused_retry, limit, window, srate, sfactor, 0}
end

local sent = redis.call('ZCARD', sends)
if sent >= limit or sent % TRIM_EVERY == 0 then
  redis.call('ZREMRANGEBYSCORE', sends, '-inf', now - window)
  sent = redis.call('ZCARD', sends)
end
if sent >= limit then
  -- The send that has to leave the window before one more fits in it.
  local blocking = redis.call('ZRANGE', sends, sent - limit, sent - limit, 'WITHSCORES')
  return {0, 'rate', math.ceil(tonumber(blocking[2]) + window - now), limit, window, srate, sfactor, sent}
end

local active = redis.call('ZCARD', leases)
if active >= max_connections then
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  active = redis.call('ZCARD', leases)
end
-- A holder that already has a lease renews it instead of taking a second slot.
if active >= max_connections and not redis.call('ZSCORE', leases, holder) then
  local first = redis.call('ZRANGE', leases, 0, 0, 'WITHSCORES')
  return {0, 'connections', math.ceil(tonumber(first[2]) - now), limit, window, srate, sfactor, active}
end

redis.call('ZADD', sends, now, send_id)
redis.call('PEXPIRE', sends, window + slack)
local expiry = now + lease_ttl
local added = redis.call('ZADD', leases, expiry, holder)
-- The key lives as long as its latest lease: GT keeps a longer expiry another holder set; a
-- key just created has none yet (GT would never set it).
if active == 0 then
  redis.call('PEXPIRE', leases, lease_ttl + slack)
else
  redis.call('PEXPIRE', leases, lease_ttl + slack, 'GT')
end
return {1, 'ok', expiry, limit, window, srate, sfactor, active + added}
`);

/**
 * KEYS: sends, leases, slowdown. ARGV: now, base rate, floor rate.
 * Returns {limit, window, rate, factor, until, sent in window, active leases}.
 */
export const STATUS = new LuaScript(`${PRELUDE}
local now, base, floor = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local factor, until_ms = slowdown(KEYS[3], now)
local rate = effective_rate(base, floor, factor)
local limit, window = budget(rate)
local sent = redis.call('ZCOUNT', KEYS[1], '(' .. (now - window), '+inf')
local active = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
return {limit, window, tostring(rate), tostring(factor), until_ms, sent, active}
`);

/**
 * KEYS: slowdown. ARGV: now, factor, duration ms, smallest factor, GC slack ms.
 * Compounds with a slow-down still in force and extends it; returns {factor, until}.
 */
export const SLOW_DOWN = new LuaScript(`${PRELUDE}
local now, factor, duration = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local min_factor, slack = tonumber(ARGV[4]), tonumber(ARGV[5])
local current, current_until = slowdown(KEYS[1], now)
local next_factor = math.max(current * factor, min_factor)
local until_ms = math.max(now + duration, current_until)
redis.call('HSET', KEYS[1], 'factor', tostring(next_factor), 'until', until_ms)
-- PX only collects the key; expiry is decided by 'until' against the callers' clock.
redis.call('PEXPIRE', KEYS[1], math.ceil(until_ms - now) + slack)
return {tostring(next_factor), until_ms}
`);
