import { freePort, waitUntil } from '@mailq/testing';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMailq, type MailqProcess } from './support/mailq-process';
import { runMailq } from './support/run-mailq';

const dataDir = mkdtempSync(join(tmpdir(), 'mailq-dev-'));
const apiKey = 'mq_test_dev_key_0123456789abcdef';
let running: MailqProcess | undefined;
const startDev = (env: Record<string, string>) =>
  startMailq('dev', { LOG_LEVEL: 'warn', ...env }, 'Mail Queue is running');

afterAll(async () => {
  if (running?.child.exitCode === null) await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('mailq dev (npm start)', () => {
  it('runs everything in one process, keeps queued mail across Ctrl-C, and captures it on the next start', async () => {
    const port = await freePort();
    const deadSmtp = await freePort(); // nothing listens: deliveries are deferred
    const url = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${apiKey}` };

    running = await startDev({
      PORT: String(port),
      MAILQ_DATA_DIR: dataDir,
      MAILQ_DEV_API_KEY: apiKey,
      SMTP_URL: `smtp://127.0.0.1:${deadSmtp}`,
      RETRY_BASE_DELAY_MS: '5000',
    });
    expect(running.output()).toContain(apiKey);
    expect(running.output()).toContain(`curl -s ${url}/v1/emails`);
    expect(readFileSync(join(dataDir, 'dev-api-key'), 'utf8').trim()).toBe(apiKey);
    // Bull Board behind a generated password the banner shows and .data keeps.
    const password = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
    expect(running.output()).toContain(`${url}/admin/queues   (admin / ${password}`);
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    const board = await fetch(`${url}/admin/queues`, {
      headers: { authorization: `Basic ${btoa(`admin:${password}`)}` },
    });
    expect(board.status).toBe(200);

    const sent = await fetch(`${url}/v1/emails`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        from: 'dev@example.com',
        to: 'you@example.com',
        subject: 'Survives restarts',
        text: 'hi',
      }),
    });
    expect(sent.status).toBe(202);
    const { id } = (await sent.json()) as { id: string };
    await waitUntil(async () => {
      const email = (await (await fetch(`${url}/v1/emails/${id}`, { headers: auth })).json()) as {
        status: string;
      };
      return email.status === 'deferred';
    });

    expect(await running.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'redis-url'))).toBe(false);

    // Second start: no SMTP_URL, so the embedded capture server receives the message.
    running = await startDev({
      PORT: String(port),
      MAILQ_DATA_DIR: dataDir,
      MAILQ_DEV_API_KEY: apiKey,
      RETRY_BASE_DELAY_MS: '100',
    });
    expect(running.output()).toContain(`${url}/dev/outbox`);
    const email = await waitUntil(
      async () => {
        const current = (await (await fetch(`${url}/v1/emails/${id}`, { headers: auth })).json()) as {
          status: string;
        };
        return current.status === 'delivered' ? current : undefined;
      },
      { timeoutMs: 30_000, message: 'the message queued before the restart was not delivered' },
    );
    expect(email.status).toBe('delivered');
    const files = readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const outbox = (await (await fetch(`${url}/dev/outbox?format=json`)).json()) as {
      messages: { subject: string }[];
    };
    expect(outbox.messages.map((m) => m.subject)).toEqual(['Survives restarts']);
    const page = await fetch(`${url}/dev/outbox`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('Survives restarts');

    expect(await running.stop()).toBe(0);
  });

  it('stops the redis-server it started when it cannot start (its port is taken), and says why', async () => {
    const failedDir = mkdtempSync(join(tmpdir(), 'mailq-dev-failed-'));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const run = await runMailq(['dev'], {
        LOG_LEVEL: 'warn',
        PORT: String(port),
        MAILQ_DATA_DIR: failedDir,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/EADDRINUSE|in use/);
      // Its redis-server ran in <data dir>/redis: none is left there.
      expect(redisServersIn(failedDir)).toEqual([]);
      expect(existsSync(join(failedDir, 'redis'))).toBe(true);
    } finally {
      taken.close();
      rmSync(failedDir, { recursive: true, force: true });
    }
  });
});

/** Pids of the redis-server processes whose working directory is inside `dir` (Linux /proc). */
function redisServersIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        return comm === 'redis-server' && readlinkSync(`/proc/${pid}/cwd`).startsWith(dir);
      } catch {
        return false; // exited meanwhile, or not ours to read
      }
    })
    .map(Number);
}
