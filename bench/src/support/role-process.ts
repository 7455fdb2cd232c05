import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromRole, RoleName, RoleRequest, ToRole } from './role';

const ENTRY = fileURLToPath(new URL('./role-main.ts', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const PROFILE_DIR = fileURLToPath(new URL('../../results/profiles', import.meta.url));

/**
 * `BENCH_CPU_PROFILE=product-ingest,product-workers npm run bench -- --only=…`
 * writes a V8 CPU profile of those roles under results/profiles (open it in
 * Chrome DevTools): where a figure's CPU time goes.
 */
function profileArgs(name: RoleName): string[] {
  const roles = (process.env.BENCH_CPU_PROFILE ?? '').split(',');
  return roles.includes(name) ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
}

/** CPU time of a process, µs (process.cpuUsage()). */
export interface CpuUsage {
  user: number;
  system: number;
}

/** The parent's handle on a role process. */
export interface RoleProcess<TInfo> {
  readonly name: RoleName;
  readonly info: TInfo;
  readonly pid: number;
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  /** CPU µs (user + system) used so far. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a role (see role.ts) in its own Node process with tsx and resolves
 * once it reports ready. Every role process is killed when this process exits.
 */
export async function startRole<TInfo>(name: RoleName, options: unknown = {}): Promise<RoleProcess<TInfo>> {
  const child = fork(ENTRY, [name, JSON.stringify(options)], {
    cwd: BENCH_DIR,
    execArgv: ['--import', 'tsx', ...profileArgs(name)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let ready: ((info: unknown) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  child.on('message', (message: FromRole) => {
    if (message.type === 'ready') ready?.(message.info);
    else if (message.type === 'failed') failed?.(new Error(`role ${name} failed to start: ${message.error}`));
    else {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) call?.reject(new Error(`${name}: ${message.error}`));
      else call?.resolve(message.result);
    }
  });
  void exited.then(() => {
    const error = new Error(`role ${name} (pid ${child.pid}) exited`);
    failed?.(error);
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });

  const info = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`role ${name} not ready in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    ready = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
    failed = (error) => {
      clearTimeout(timer);
      reject(error);
    };
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });

  const request = (message: RoleRequest): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...message, id } satisfies ToRole);
    });
  };
  let stopped: Promise<void> | undefined;
  return {
    name,
    info: info as TInfo,
    pid: child.pid ?? -1,
    call: <T>(method: string, args?: unknown) => request({ type: 'call', method, args }) as Promise<T>,
    async cpuMicros() {
      const usage = (await request({ type: 'call', method: 'cpu', args: undefined })) as CpuUsage;
      return usage.user + usage.system;
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await request({ type: 'stop' }).catch(() => undefined);
        await exited;
        clearTimeout(timer);
      })();
      return stopped;
    },
  };
}
