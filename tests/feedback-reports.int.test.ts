import { startBounceListener } from '@mailq/relay';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { sendOk, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { dsn } from './support/reports';
import { useTestPlatform } from './support/test-platform';

// Bounces that come back as mail: DSNs (RFC 3464) forwarded over the API, or
// delivered by SMTP to the VERP return path that names the message.
const env = useTestPlatform({ workerEnv: { RETURN_PATH_DOMAIN: 'bounces.test' } });

async function deliveredMessage(to: string) {
  const id = await sendOk(env.platform, sampleEmail({ to }));
  await waitForEmail(env.platform, id, 'delivered');
  return id;
}

describe('forwarded DSN and ARF reports', () => {
  it('applies a DSN for the caller’s own message, and ignores another tenant’s', async () => {
    const id = await deliveredMessage('dsn-user@dsn.test');
    const inbound = (key: string) =>
      fetch(`${env.platform.url}/v1/inbound/dsn`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'message/rfc822' },
        body: dsn(id, 'dsn-user@dsn.test'),
      });
    expect(await (await inbound(env.platform.keyB)).json()).toEqual({ accepted: 0 });
    const response = await inbound(env.platform.keyA);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1 });
    const email = await waitForEmail(env.platform, id, 'bounced');
    expect(email.events.find((e) => e.type === 'bounced')?.detail).toContain('dsn');
  });
});

describe('the bounce SMTP listener on the VERP return path', () => {
  it('sends with a VERP return path and applies a DSN that arrives there, linked by that address alone', async () => {
    const id = await deliveredMessage('verp-user@verp.test');
    const sent = env.sink.messages.find((m) => m.envelope.rcptTo.includes('verp-user@verp.test'));
    expect(sent?.envelope.mailFrom).toBe(`b+${id}@bounces.test`);

    const listener = await startBounceListener(env.platform.ingest.backend.feedback, { port: 0 });
    try {
      // A DSN that quotes nothing of the original: only the address it is sent to names the message.
      const report = dsn('no-such-id', 'verp-user@verp.test').replace(
        /Message-ID: <no-such-id@example.com>\r\n/,
        '',
      );
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
      });
      const info = await transport.sendMail({
        envelope: { from: '', to: `b+${id}@bounces.test` },
        raw: report,
      });
      expect(info.response).toMatch(/^250/);
      const email = await waitForEmail(env.platform, id, 'bounced');
      expect(email.recipients[0]?.status).toBe('bounced');
      transport.close();
    } finally {
      await listener.close();
    }
  });
});
