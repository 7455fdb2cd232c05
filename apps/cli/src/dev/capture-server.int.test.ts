import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCaptureServer, type CaptureServer } from './capture-server';

describe('capture server', () => {
  let dir: string;
  let capture: CaptureServer;

  beforeAll(async () => {
    // A not-yet-existing subdirectory proves the server creates it.
    dir = join(await mkdtemp(join(tmpdir(), 'mailq-capture-')), 'outbox');
    capture = await startCaptureServer({ dir });
  });

  afterAll(async () => {
    await capture?.close();
    if (dir) await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('listens on loopback and reports its URL', () => {
    expect(capture.port).toBeGreaterThan(0);
    expect(capture.url).toBe(`smtp://127.0.0.1:${capture.port}`);
  });

  it('writes every message as an .eml with the envelope (Bcc included) prepended', async () => {
    const transport = nodemailer.createTransport({ url: capture.url });
    const info = await transport.sendMail({
      from: 'App <app@example.com>',
      to: 'alice@example.com',
      bcc: 'secret-bcc@example.com',
      subject: 'Welcome aboard',
      text: 'Hello Alice',
      messageId: '<capture-test-1@example.com>',
    });
    transport.close();

    expect(info.accepted).toEqual(['alice@example.com', 'secret-bcc@example.com']);
    // 250 is only sent after the rename, so the file must already be there.
    const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{8}\.eml$/);
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));

    const raw = await readFile(join(dir, files[0] ?? ''), 'utf8');
    const lines = raw.split('\r\n');
    expect(lines[0]).toBe('X-Mailq-Envelope-From: app@example.com');
    expect(lines[1]).toBe('X-Mailq-Envelope-To: alice@example.com, secret-bcc@example.com');
    expect(raw).toContain('Message-ID: <capture-test-1@example.com>');
    expect(raw).toContain('Subject: Welcome aboard');
    // The Bcc header itself is never transmitted; only the envelope reveals it.
    expect(raw).not.toMatch(/^Bcc:/im);
  });

  it('accepts clients that authenticate with any credentials', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: capture.port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'anyone', pass: 'whatever' },
    });
    const info = await transport.sendMail({
      from: 'app@example.com',
      to: 'bob@example.com',
      subject: 'Authenticated',
      text: 'hi',
    });
    transport.close();
    expect(info.response).toMatch(/^250 /);
    const files = (await readdir(dir)).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(2);
  });

  it('answers 451 and leaves no file when the message cannot be written', async () => {
    // The directory vanishing under a running server is the simplest portable write failure.
    await rm(dir, { recursive: true, force: true });
    const transport = nodemailer.createTransport({ url: capture.url });
    const sending = transport.sendMail({ from: 'app@example.com', to: 'c@example.com', text: 'lost' });
    await expect(sending).rejects.toMatchObject({ responseCode: 451 });
    transport.close();
  });
});
