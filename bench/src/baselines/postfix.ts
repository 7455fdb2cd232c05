import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@mailq/testing';

const run = promisify(execFile);

export const POSTFIX_INSTALL_HINT = 'install with: sudo apt-get install postfix';

/** Path of the `postfix` command, or null when Postfix is not installed (`command -v postfix`). */
export async function findPostfix(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v postfix']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

export interface PostfixRelay {
  port: number;
  stop(): Promise<void>;
}

/**
 * A private Postfix instance (own config, queue and data directories under a
 * temp dir; the system's instance is not touched) that accepts mail from
 * loopback on a free port and relays everything to `[127.0.0.1]:sinkPort` —
 * the peer a team would run instead of Mail Queue. Needs root (postfix -c).
 */
export async function startPostfixRelay(postfix: string, sinkPort: number): Promise<PostfixRelay> {
  const dir = await mkdtemp(join(tmpdir(), 'mailq-bench-postfix-'));
  const port = await freePort();
  await mkdir(join(dir, 'queue'), { recursive: true });
  await mkdir(join(dir, 'data'), { recursive: true });
  const mainCf = [
    `queue_directory = ${join(dir, 'queue')}`,
    `data_directory = ${join(dir, 'data')}`,
    'compatibility_level = 3.6',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'myhostname = postfix.bench.invalid',
    'mydestination =',
    'mynetworks = 127.0.0.0/8',
    'smtpd_relay_restrictions = permit_mynetworks, reject',
    `relayhost = [127.0.0.1]:${sinkPort}`,
    'smtp_tls_security_level = none',
    'smtpd_tls_security_level = none',
    `maillog_file = ${join(dir, 'maillog')}`,
    // As many parallel deliveries to the sink as the other stacks use.
    'default_destination_concurrency_limit = 20',
    'alias_maps =',
    'alias_database =',
  ].join('\n');
  // The packaged master.cf with the smtpd listener moved to our port and chroot off
  // (the temp queue directory has no chroot environment).
  const packaged = await readFile('/etc/postfix/master.cf', 'utf8');
  const masterCf = packaged
    .split('\n')
    .map((line) => {
      const fields = line.split(/\s+/);
      if (line.startsWith('#') || fields.length < 8) return line;
      if (fields[0] === 'smtp' && fields[1] === 'inet') fields[0] = `127.0.0.1:${port}`;
      fields[4] = 'n';
      return fields.join(' ');
    })
    .join('\n');
  await writeFile(join(dir, 'main.cf'), mainCf + '\n');
  await writeFile(join(dir, 'master.cf'), masterCf);
  await run(postfix, ['-c', dir, 'check']);
  await run(postfix, ['-c', dir, 'start']);
  return {
    port,
    async stop() {
      await run(postfix, ['-c', dir, 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
