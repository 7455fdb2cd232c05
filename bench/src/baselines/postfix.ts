import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@mailq/testing';
import { sleep } from '../support/clock';

const run = promisify(execFile);

export const POSTFIX_INSTALL_HINT = 'install with: sudo apt-get install postfix';

/** Path of the `postfix` command (`command -v postfix`, else /usr/sbin/postfix), or null when not installed. */
export async function findPostfix(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v postfix']);
    if (stdout.trim()) return stdout.trim();
  } catch {
    // not on PATH (non-root users often lack /usr/sbin)
  }
  return existsSync('/usr/sbin/postfix') ? '/usr/sbin/postfix' : null;
}

/** Why a private instance cannot run here, or null: `postfix -c DIR start` runs a master daemon as root. */
export function postfixPrivilegeProblem(): string | null {
  return process.getuid?.() === 0
    ? null
    : 'needs root (a private instance runs its own master daemon: postfix -c DIR start)';
}

export interface PostfixRelay {
  port: number;
  /** mail_version of the instance, e.g. "3.7.11". */
  version: string;
  /** Messages in the instance's queue (incoming, active, deferred, hold, maildrop). */
  queued(): Promise<number>;
  /** Messages in the deferred queue: a delivery to the sink failed and waits for a retry. */
  deferred(): Promise<number>;
  /** CPU µs (user + system) of the master and every process it started so far, reaped ones included. */
  cpuMicros(): Promise<number>;
  /** The last lines of the instance's log (its maillog_file). */
  logTail(lines?: number): Promise<string>;
  /** `postfix -c DIR stop`, then kills whatever is left of the instance and removes its directories. */
  stop(): Promise<void>;
}

/**
 * The services a relay needs, every one out of chroot (the temp queue
 * directory has no chroot environment): smtpd on our loopback port, the queue
 * manager and its helpers, smtp for the relayhost, postlogd for maillog_file.
 * No `local`, `virtual`, `lmtp`, `pickup` or pipe transports: nothing is
 * delivered locally and nothing is submitted with sendmail.
 */
function masterCf(port: number): string {
  // service type private unpriv chroot wakeup maxproc command
  return [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
    '',
  ].join('\n');
}

function mainCf(dir: string, sinkPort: number): string {
  return [
    `queue_directory = ${join(dir, 'queue')}`,
    `data_directory = ${join(dir, 'data')}`,
    'compatibility_level = 3.6',
    'mail_owner = postfix',
    'setgid_group = postdrop',
    // Log to a file of our own (postlogd): the machine may have no syslog.
    `maillog_file = ${join(dir, 'maillog')}`,
    `maillog_file_prefixes = ${dir}`,
    'syslog_name = postfix-bench',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'myhostname = postfix.bench.invalid',
    // A pure relay: no local domains, nothing delivered locally.
    'mydestination =',
    'local_recipient_maps =',
    'local_transport = error:local delivery is disabled',
    'alias_maps =',
    'alias_database =',
    'biff = no',
    'mynetworks = 127.0.0.0/8',
    'smtpd_relay_restrictions = permit_mynetworks, reject',
    `relayhost = [127.0.0.1]:${sinkPort}`,
    'smtp_tls_security_level = none',
    'smtpd_tls_security_level = none',
    // As many parallel deliveries to the sink as the other stacks use (worker concurrency 20).
    'default_destination_concurrency_limit = 20',
    '',
  ].join('\n');
}

/** CPU µs of every process in a process group (the master calls setsid: its group is the instance). */
async function groupCpuMicros(pgid: number): Promise<number> {
  const ticks = 100; // USER_HZ: /proc/<pid>/stat counts in 1/100 s on Linux
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // Fields after the command (which may hold spaces): state ppid pgrp … utime(14) stime(15) cutime(16) cstime(17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) !== pgid) continue;
    // cutime/cstime: children already reaped (the master's short-lived smtpd, cleanup, smtp…).
    total += [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
  }
  return (total / ticks) * 1_000_000;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function countFiles(path: string): Promise<number> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  let count = 0;
  for (const entry of entries)
    count += entry.isDirectory() ? await countFiles(join(path, entry.name)) : entry.isFile() ? 1 : 0;
  return count;
}

/**
 * Instances not stopped yet. The master daemonizes (setsid), so nothing else
 * would end it with the bench: they are killed if the bench exits without
 * stopping them (an error, process.exit) or is interrupted (Ctrl-C, kill).
 */
const live = new Map<string, () => void>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
function killLive(): void {
  for (const kill of live.values()) kill();
  live.clear();
}
function onSignal(signal: NodeJS.Signals): void {
  killLive();
  for (const name of SIGNALS) process.off(name, onSignal);
  // Then whatever the signal would have done without us.
  process.kill(process.pid, signal);
}
function track(dir: string, kill: () => void): void {
  if (live.size === 0) for (const name of SIGNALS) process.on(name, onSignal);
  live.set(dir, kill);
}
function untrack(dir: string): void {
  live.delete(dir);
  if (live.size === 0) for (const name of SIGNALS) process.off(name, onSignal);
}
process.on('exit', killLive);

/**
 * A private Postfix instance that accepts mail from loopback on a free port
 * and relays everything to `[127.0.0.1]:sinkPort` — the peer a team would run
 * instead of Mail Queue. Everything it owns lives under one temp dir: its
 * config directory (`postfix -c DIR/conf`), queue directory (with the
 * master's pid file), data directory (with master.lock) and log file; the
 * system instance's configuration, queue and data (/etc/postfix/main.cf and
 * master.cf, /var/spool/postfix, /var/lib/postfix) are neither used nor
 * touched — only the package's own files are read (binaries, and postfix-files
 * and dynamicmaps.cf in meta_directory). Stock Postfix settings otherwise (in_flow_delay, process limits,
 * fsync of every queue file before the 250). Needs root.
 */
export async function startPostfixRelay(postfix: string, sinkPort: number): Promise<PostfixRelay> {
  const dir = await mkdtemp(join(tmpdir(), 'mailq-bench-postfix-'));
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const maillog = join(dir, 'maillog');
  let pgid: number | undefined;
  const killNow = () => {
    if (pgid !== undefined && groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  track(dir, killNow);
  const logTail = async (lines = 20) =>
    (await readFile(maillog, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-lines).join('\n');
  const stop = async () => {
    pgid ??= await readMasterPid(queue);
    await run(postfix, ['-c', conf, 'stop']).catch(() => undefined);
    // `postfix stop` waits for the master; its children exit once they see it gone.
    for (let i = 0; pgid !== undefined && groupAlive(pgid) && i < 50; i++) await sleep(100);
    killNow();
    untrack(dir);
  };
  try {
    // Postfix's daemons run as mail_owner and must reach the queue directory below.
    await chmod(dir, 0o755);
    const port = await freePort();
    // postfix chdirs to the queue directory before anything else; post-install
    // (create-missing) then creates its subdirectories and the data directory
    // with the owners and modes Postfix wants.
    await mkdir(conf);
    await mkdir(queue, { mode: 0o755 });
    await writeFile(join(conf, 'main.cf'), mainCf(dir, sinkPort));
    await writeFile(join(conf, 'master.cf'), masterCf(port));
    // `start` runs the integrity checks of `postfix check` (check-fatal, check-warn) first.
    await run(postfix, ['-c', conf, 'start']).catch(async (error: Error) => {
      throw new Error(`postfix -c ${conf} start failed: ${error.message.trim()}\n${await logTail()}`);
    });
    pgid = await readMasterPid(queue);
    if (pgid === undefined) throw new Error(`no master.pid after postfix start\n${await logTail()}`);
    const version = await run(join(postfix, '..', 'postconf'), ['-c', conf, '-h', 'mail_version']).then(
      ({ stdout }) => stdout.trim(),
      () => 'unknown',
    );
    const owner = pgid;
    return {
      port,
      version,
      queued: async () =>
        (
          await Promise.all(
            ['incoming', 'active', 'deferred', 'hold', 'maildrop'].map((q) => countFiles(join(queue, q))),
          )
        ).reduce((a, b) => a + b, 0),
      deferred: () => countFiles(join(queue, 'deferred')),
      cpuMicros: () => groupCpuMicros(owner),
      logTail,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function readMasterPid(queue: string): Promise<number | undefined> {
  const text = await readFile(join(queue, 'pid', 'master.pid'), 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}
