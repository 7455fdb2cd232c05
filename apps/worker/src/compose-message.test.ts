import { describe, it, expect } from 'vitest';
import type { EmailJob } from '@mailq/queues';
import { createTransport } from 'nodemailer';
import { composeMessage } from './compose-message';

const job: EmailJob = {
  tenantId: 't1',
  id: 'msg_1',
  messageIdHeader: '<msg_1@mailq.example>',
  acceptedAt: '2024-01-15T10:00:00.000Z',
  email: {
    from: 'Acme <noreply@acme.example>',
    to: ['Bob <bob@example.org>', 'dave@example.net'],
    cc: ['carol@example.org'],
    bcc: ['hidden@example.com'],
    subject: 'Your receipt',
    text: 'Thanks for your order.',
    html: '<p>Thanks for your order.</p>',
  },
};
const dkim = { domainName: 'acme.example', keySelector: 'mq1', privateKey: 'PEM' };
const withAttachment: EmailJob = {
  ...job,
  email: { ...job.email, attachments: [{ filename: 'logo.png', content: 'aGk=', content_id: 'logo' }] },
};

describe('composeMessage', () => {
  it('hands a message without attachments over pre-built, with the envelope and DKIM key', () => {
    const message = composeMessage(
      job,
      ['bob@example.org', 'hidden@example.com'],
      dkim,
      'b+msg_1@bounce.example',
    );
    expect(Object.keys(message).sort()).toEqual(['dkim', 'envelope', 'messageId', 'raw']);
    expect(message.envelope).toEqual({
      from: 'b+msg_1@bounce.example',
      to: ['bob@example.org', 'hidden@example.com'],
    });
    expect(message.dkim).toBe(dkim);
    const raw = String(message.raw);
    // The headers show the original lists, whoever is still pending; Bcc shows nowhere.
    expect(raw).toContain('\r\nTo: Bob <bob@example.org>, dave@example.net\r\nCc: carol@example.org\r\n');
    expect(raw).not.toContain('hidden@example.com');
    expect(raw).toContain('\r\nMessage-ID: <msg_1@mailq.example>\r\n');
    expect(raw).toContain('\r\nDate: Mon, 15 Jan 2024 10:00:00 +0000\r\n');
  });

  it('sends from the bare From address without a return path, and signs only with a key', () => {
    const message = composeMessage(job, ['dave@example.net']);
    expect(message.envelope).toEqual({ from: 'noreply@acme.example', to: ['dave@example.net'] });
    expect(message).not.toHaveProperty('dkim');
  });

  it('is sent by nodemailer byte for byte', async () => {
    const message = composeMessage(job, ['bob@example.org']);
    const transport = createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail(message);
    expect(info.envelope).toEqual({ from: 'noreply@acme.example', to: ['bob@example.org'] });
    expect(info.message.toString()).toBe(String(message.raw));
    // nodemailer reports the message's own Message-ID instead of drawing one of its own.
    expect(info.messageId).toBe('<msg_1@mailq.example>');
  });

  it('leaves a message with attachments to nodemailer’s composer', () => {
    const message = composeMessage(withAttachment, ['bob@example.org'], dkim);
    expect(message).not.toHaveProperty('raw');
    expect(message).toMatchObject({
      from: 'Acme <noreply@acme.example>',
      to: ['Bob <bob@example.org>', 'dave@example.net'],
      cc: ['carol@example.org'],
      subject: 'Your receipt',
      messageId: '<msg_1@mailq.example>',
      date: new Date('2024-01-15T10:00:00.000Z'),
      envelope: { from: 'noreply@acme.example', to: ['bob@example.org'] },
      attachments: [
        {
          filename: 'logo.png',
          content: 'aGk=',
          encoding: 'base64',
          cid: 'logo',
          contentDisposition: 'inline',
        },
      ],
      dkim,
    });
    expect(message).not.toHaveProperty('bcc');
  });
});
