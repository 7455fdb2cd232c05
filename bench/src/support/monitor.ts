import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import * as bullScripts from 'bullmq/dist/esm/scripts/index.js';

/** Who issued a command: BullMQ (its scripts and keys), the product's own stores, or neither. */
export type Owner = 'bullmq' | 'mail queue' | 'connection/other';

/** Commands seen by MONITOR during a run, per unit of work (e.g. per delivered message). */
export interface Attribution {
  units: number;
  /** Commands sent by clients (round trips, MULTI/EXEC framing included), per unit. */
  clientCommands: number;
  /** Commands run inside Lua scripts, per unit. */
  scriptCommands: number;
  /** Client commands per unit by owner and name (`evalsha` named by script). */
  byOwner: Record<Owner, Record<string, number>>;
  /** Commands inside each script, per unit. */
  insideScripts: Record<string, number>;
  /** Client commands per unit by connection name (CLIENT SETNAME), which tells processes apart. */
  byConnection: Record<string, number>;
}

const SCRIPT_NAMES = new Map<string, string>(
  Object.values(bullScripts as Record<string, { name?: string; content?: string }>)
    .filter((script): script is { name: string; content: string } => typeof script.content === 'string')
    .map((script) => [createHash('sha1').update(script.content).digest('hex'), script.name]),
);

/** Key prefixes of BullMQ queues and of the product's stores (`bench:` namespace). */
export interface KeySpaces {
  bullmq: string[];
  ours: string[];
}

interface Line {
  source: string;
  args: string[];
}

/**
 * Records every command Redis runs while `work` runs (MONITOR), and
 * attributes them. MONITOR slows Redis down, so it is only used on a small
 * sample, never on a timed run.
 */
export async function attribute(
  admin: Redis,
  keySpaces: KeySpaces,
  units: number,
  work: () => Promise<void>,
): Promise<Attribution> {
  const names = await connectionNames(admin);
  // The bench's own connection (observation commands) is not the system's work.
  const self = /addr=(\S+)/.exec(String(await admin.client('INFO')))?.[1] ?? '';
  // monitor() opens a connection of its own in MONITOR mode.
  const monitor = await admin.monitor();
  monitor.on('error', () => undefined);
  const lines: Line[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => lines.push({ source, args }));
  try {
    await work();
  } finally {
    Object.assign(names, await connectionNames(admin));
    monitor.disconnect();
  }
  const result: Attribution = {
    units,
    clientCommands: 0,
    scriptCommands: 0,
    byOwner: { bullmq: {}, 'mail queue': {}, 'connection/other': {} },
    insideScripts: {},
    byConnection: {},
  };
  const add = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1 / units);
  let script = '';
  for (const { source, args } of lines) {
    const command = (args[0] ?? '').toLowerCase();
    if (source === 'lua') {
      result.scriptCommands += 1 / units;
      add(result.insideScripts, `${script} → ${command}`);
      continue;
    }
    if (source === self) continue;
    result.clientCommands += 1 / units;
    add(result.byConnection, names[source] || source.replace(/:\d+$/, ':*'));
    const firstKey = firstKeyOf(command, args);
    if (command === 'evalsha' || command === 'eval') {
      const name = SCRIPT_NAMES.get(args[1] ?? '');
      script = name ?? `script on ${prefixOf(firstKey, keySpaces)}`;
      add(
        result.byOwner[name || ownerOf(firstKey, keySpaces) === 'bullmq' ? 'bullmq' : 'mail queue'],
        `evalsha ${script}`,
      );
      continue;
    }
    add(result.byOwner[ownerOf(firstKey, keySpaces)], command);
  }
  return result;
}

function firstKeyOf(command: string, args: string[]): string {
  if (command === 'evalsha' || command === 'eval') return Number(args[2]) > 0 ? (args[3] ?? '') : '';
  if (['multi', 'exec', 'info', 'ping', 'client', 'select', 'script'].includes(command)) return '';
  if (command === 'bzpopmin' || command === 'brpoplpush' || command === 'blmove') return args[1] ?? '';
  return args[1] ?? '';
}

function ownerOf(key: string, spaces: KeySpaces): Owner {
  if (spaces.bullmq.some((prefix) => key.startsWith(prefix))) return 'bullmq';
  if (spaces.ours.some((prefix) => key.startsWith(prefix))) return 'mail queue';
  return 'connection/other';
}

function prefixOf(key: string, spaces: KeySpaces): string {
  return [...spaces.bullmq, ...spaces.ours].find((prefix) => key.startsWith(prefix)) ?? (key || 'no key');
}

/** `addr → name` of every connection (CLIENT LIST). */
async function connectionNames(admin: Redis): Promise<Record<string, string>> {
  const list = String(await admin.client('LIST'));
  const names: Record<string, string> = {};
  for (const line of list.split('\n')) {
    const addr = /addr=(\S+)/.exec(line)?.[1];
    const name = /name=(\S*)/.exec(line)?.[1] ?? '';
    if (addr) names[addr] = name;
  }
  return names;
}
