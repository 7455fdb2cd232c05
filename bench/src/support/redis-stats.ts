import type { Redis } from 'ioredis';

/** `field:value` lines of an INFO reply. */
export function parseInfo(reply: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of reply.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Calls and execution µs of one command, from INFO commandstats. */
export interface CommandStat {
  calls: number;
  usec: number;
}

/** What one Redis node has done since CONFIG RESETSTAT. */
export interface RedisSnapshot {
  /** Per command (lower case, `|` subcommands kept), including commands run inside Lua scripts. */
  commands: Record<string, CommandStat>;
  /** Main-thread CPU (user + sys), µs: everything Redis spent, I/O included. */
  cpuMicros: number;
  usedMemory: number;
  keys: number;
  /** Forks so far (AOF rewrites): each one costs Redis CPU and memory bandwidth. */
  forks: number;
  aofRewriteInProgress: boolean;
}

export async function snapshot(redis: Redis): Promise<RedisSnapshot> {
  const [commandstats, cpu, memory, stats, persistence, dbsize] = await Promise.all([
    redis.info('commandstats'),
    redis.info('cpu'),
    redis.info('memory'),
    redis.info('stats'),
    redis.info('persistence'),
    redis.dbsize(),
  ]);
  const aof = parseInfo(persistence);
  const commands: Record<string, CommandStat> = {};
  for (const [field, value] of parseInfo(commandstats)) {
    if (!field.startsWith('cmdstat_')) continue;
    const calls = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
    const usec = Number(/usec=(\d+)/.exec(value)?.[1] ?? 0);
    commands[field.slice('cmdstat_'.length)] = { calls, usec };
  }
  const cpuFields = parseInfo(cpu);
  const main = (name: string) => Number(cpuFields.get(`${name}_main_thread`) ?? cpuFields.get(name) ?? 0);
  return {
    commands,
    cpuMicros: Math.round((main('used_cpu_user') + main('used_cpu_sys')) * 1e6),
    usedMemory: Number(parseInfo(memory).get('used_memory') ?? 0),
    keys: dbsize,
    forks: Number(parseInfo(stats).get('total_forks') ?? 0),
    aofRewriteInProgress:
      aof.get('aof_rewrite_in_progress') === '1' || aof.get('aof_rewrite_scheduled') === '1',
  };
}

/** Commands the bench itself sends to read the figures; they are not the system's work. */
const OBSERVER_COMMANDS = new Set(['info', 'dbsize', 'config|resetstat', 'memory|usage', 'monitor', 'ping']);

/** `after - before` per command, without the bench's own observation commands. */
export function commandDelta(before: RedisSnapshot, after: RedisSnapshot): Record<string, CommandStat> {
  const delta: Record<string, CommandStat> = {};
  for (const [name, stat] of Object.entries(after.commands)) {
    if (OBSERVER_COMMANDS.has(name)) continue;
    const was = before.commands[name] ?? { calls: 0, usec: 0 };
    const calls = stat.calls - was.calls;
    if (calls > 0) delta[name] = { calls, usec: stat.usec - was.usec };
  }
  return delta;
}

export function totalCalls(commands: Record<string, CommandStat>): number {
  return Object.values(commands).reduce((sum, stat) => sum + stat.calls, 0);
}

/** Commands executed per unit (e.g. per delivered message), most frequent first. */
export function perUnit(
  commands: Record<string, CommandStat>,
  units: number,
): Array<{
  command: string;
  calls: number;
  usec: number;
}> {
  return Object.entries(commands)
    .map(([command, stat]) => ({ command, calls: stat.calls / units, usec: stat.usec / units }))
    .sort((a, b) => b.calls - a.calls);
}
