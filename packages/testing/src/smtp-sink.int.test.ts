import { connect } from 'node:net';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from './index';

/** Speaks SMTP by hand and returns every reply (the greeting first). */
async function rawConversation(port: number, commands: string[]): Promise<string[]> {
  const socket = connect(port, '127.0.0.1');
  let buffer = '';
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    wake?.();
  });
  const nextReply = async (): Promise<string> => {
    for (;;) {
      // A reply ends with its first "NNN " line (multi-line replies use "NNN-").
      const end = /^\d{3} .*\r\n/m.exec(buffer);
      if (end) {
        const reply = buffer.slice(0, end.index + end[0].length);
        buffer = buffer.slice(reply.length);
        return reply.trim();
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  const replies = [await nextReply()];
  for (const command of commands) {
    socket.write(`${command}\r\n`);
    replies.push(await nextReply());
  }
  socket.end();
  return replies;
}

describe('startSmtpSink', () => {
  let sink: SmtpSink;
  let transport: Transporter;
  const send = (to = 'rcpt@example.test') =>
    transport.sendMail({ from: 'sender@example.test', to, subject: 'Hello', text: 'Body text' });

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false });
  });
  beforeEach(() => sink.clear());
  afterAll(async () => {
    transport?.close();
    await sink?.close();
    await sink?.close(); // idempotent
  });

  it('stores and parses a message sent with nodemailer', async () => {
    expect(sink.url).toBe(`smtp://127.0.0.1:${sink.port}`);
    const info = await send();
    const [message] = await sink.waitFor(1);
    expect(message?.envelope).toEqual({ mailFrom: 'sender@example.test', rcptTo: ['rcpt@example.test'] });
    expect(message?.parsed.subject).toBe('Hello');
    expect(message?.parsed.text?.trim()).toBe('Body text');
    expect(message?.messageId).toBe(info.messageId);
    expect(message?.raw.toString('utf8')).toContain('Subject: Hello');
    expect(sink.stats).toMatchObject({ dataAttempts: 1, accepted: 1, rejections: 0 });
  });

  it('accepts a raw SMTP conversation with AUTH PLAIN', async () => {
    const plain = Buffer.from('\0user\0pass').toString('base64');
    const replies = await rawConversation(sink.port, [
      'EHLO client.test',
      `AUTH PLAIN ${plain}`,
      'MAIL FROM:<raw@example.test>',
      'RCPT TO:<a@example.test>',
      'RCPT TO:<b@example.test>',
      'DATA',
      'Subject: raw\r\nMessage-ID: <raw-1@example.test>\r\n\r\nhi\r\n.',
      'QUIT',
    ]);
    expect(replies.map((reply) => reply.slice(-200).match(/^(\d{3}) /m)?.[1])).toEqual([
      '220',
      '250',
      '235',
      '250',
      '250',
      '250',
      '354',
      '250',
      '221',
    ]);
    const [message] = await sink.waitFor(1);
    expect(message?.envelope.rcptTo).toEqual(['a@example.test', 'b@example.test']);
    expect(message?.clientName).toBe('client.test');
    expect(message?.messageId).toBe('<raw-1@example.test>');
  });

  it('failNext: a 451 at DATA reaches the client, the retry is accepted', async () => {
    sink.failNext('data', { code: 451, message: 'greylisted, try later' });
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    expect(sink.messages).toHaveLength(0);
    await send();
    await sink.waitFor(1);
    expect(sink.stats).toMatchObject({ dataAttempts: 2, accepted: 1, rejections: 1 });
  });

  it('replyWith: 550 at RCPT for one recipient, attempt-based 451 at DATA', async () => {
    sink.replyWith(({ stage, rcpt, attempt }) => {
      if (stage === 'rcpt' && rcpt === 'gone@example.test') return { code: 550, message: 'no such user' };
      if (stage === 'data' && attempt === 1) return { code: 451, message: 'first DATA fails' };
      return undefined;
    });
    await expect(send('gone@example.test')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send()).rejects.toMatchObject({ responseCode: 451 });
    await send();
    await sink.waitFor(1);
    expect(sink.stats).toMatchObject({ rcptAttempts: 3, dataAttempts: 2, rejections: 2 });
  });

  it('waitFor rejects naming how many messages arrived', async () => {
    await expect(sink.waitFor(1, 200)).rejects.toThrow(/expected 1 message\(s\) within 200 ms, 0 arrived/);
  });
});
