import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackTempDir } from './exit-cleanup';
import { freePort } from './free-port';
import { waitForRedisReady } from './redis-command';
import {
  killRedisProcess,
  spawnRedisProcess,
  terminateRedisProcess,
  type RedisProcess,
} from './redis-process';

/** Options for {@link startRedisServer}. */
export interface RedisServerOptions {
  /** AOF persistence (default true, fsync every second). */
  appendonly?: boolean;
  /**
   * AOF fsync policy (default `everysec`). `always` fsyncs before every reply,
   * as `DURABILITY=aof` requires; kept across restart() unlike a CONFIG SET.
   */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** Data directory; default is a fresh temp dir owned (and removed) by the harness. */
  dir?: string;
  /** Port to bind; default is a free one picked by the OS. */
  port?: number;
  /** Sets `requirepass` (and `masterauth`, so replicas of a cluster can sync). */
  password?: string;
}

/** A running redis-server started by the harness. */
export interface RedisServerHandle {
  readonly port: number;
  readonly host: '127.0.0.1';
  /** `redis://127.0.0.1:PORT`, or `redis://:PASSWORD@127.0.0.1:PORT` with a password. */
  readonly url: string;
  readonly dir: string;
  readonly password?: string;
  /** Whether the current process is alive (false after stop/kill). */
  isRunning(): boolean;
  /** Graceful: SIGTERM (redis fsyncs the AOF), bounded wait, then SIGKILL. Idempotent. */
  stop(): Promise<void>;
  /** Crash: SIGKILL and wait for the exit. Idempotent. */
  kill(): Promise<void>;
  /** Starts again on the same port and dir (so the AOF is replayed) and waits for PONG. */
  restart(): Promise<void>;
  /** stop() and remove the data dir if the harness created it. */
  destroy(): Promise<void>;
}

/** Internal options: the cluster harness adds its own redis arguments. */
export interface LaunchOptions extends RedisServerOptions {
  extraArgs?: string[];
}

const READY_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 3;

function redisArgs(port: number, dir: string, options: LaunchOptions): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--dir', dir];
  // No RDB snapshots: durability in tests comes from the AOF only, like in production.
  args.push('--save', '', '--appendonly', options.appendonly === false ? 'no' : 'yes');
  args.push('--appendfsync', options.appendfsync ?? 'everysec');
  args.push('--maxmemory-policy', 'noeviction', '--protected-mode', 'no');
  if (options.password) args.push('--requirepass', options.password, '--masterauth', options.password);
  return [...args, ...(options.extraArgs ?? [])];
}

async function spawnReady(port: number, dir: string, options: LaunchOptions): Promise<RedisProcess> {
  const proc = spawnRedisProcess(redisArgs(port, dir, options));
  try {
    await waitForRedisReady(port, options.password, {
      timeoutMs: READY_TIMEOUT_MS,
      exited: proc.exited,
      describe: proc.tail,
    });
    return proc;
  } catch (error) {
    await killRedisProcess(proc);
    throw error;
  }
}

/** Starts a redis-server and resolves once it answers PING; see {@link RedisServerOptions}. */
export async function launchRedisServer(options: LaunchOptions = {}): Promise<RedisServerHandle> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'mailq-redis-')));
  await mkdir(dir, { recursive: true });
  const untrackDir = ownsDir ? trackTempDir(dir) : () => undefined;
  const removeDir = async (): Promise<void> => {
    if (!ownsDir) return;
    await rm(dir, { recursive: true, force: true });
    untrackDir();
  };

  let port = options.port ?? (await freePort());
  let proc: RedisProcess | undefined;
  for (let attempt = 1; proc === undefined; attempt++) {
    try {
      proc = await spawnReady(port, dir, options);
    } catch (error) {
      // freePort() cannot reserve the port, so another process may take it first.
      const raced = /address already in use/i.test(String(error));
      if (options.port !== undefined || !raced || attempt >= PORT_ATTEMPTS) {
        await removeDir();
        throw error;
      }
      port = await freePort();
    }
  }

  let current: RedisProcess = proc;
  const password = options.password;
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  const handle: RedisServerHandle = {
    port,
    host: '127.0.0.1',
    url: `redis://${auth}127.0.0.1:${port}`,
    dir,
    ...(password ? { password } : {}),
    isRunning: () => !current.hasExited(),
    stop: () => terminateRedisProcess(current),
    kill: () => killRedisProcess(current),
    async restart() {
      await terminateRedisProcess(current);
      current = await spawnReady(port, dir, options);
    },
    async destroy() {
      await terminateRedisProcess(current);
      await removeDir();
    },
  };
  return handle;
}

/**
 * Starts a real `redis-server` on 127.0.0.1 (free port, fresh temp dir, AOF on by
 * default) and resolves once it answers PING. Always `destroy()` it in afterAll.
 */
export function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServerHandle> {
  return launchRedisServer(options);
}
