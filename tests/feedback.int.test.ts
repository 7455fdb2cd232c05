import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendOk, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

// Trust roots made here, in the providers' real formats: an HMAC key (Mailgun),
// a P-256 key pair (SendGrid), an RSA key with a self-signed X.509 certificate
// served as SNS serves its signing certificate (SES), Basic auth (Postmark).
const MAILGUN_KEY = 'key-mailgun-test-0123456789';
const sendgrid = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const dir = mkdtempSync(join(tmpdir(), 'mq-sns-e2e-'));
execFileSync(
  'openssl',
  [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=sns.amazonaws.com',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
  ],
  { stdio: 'pipe' },
);
const snsKey = readFileSync(join(dir, 'key.pem'), 'utf8');
const snsCert = readFileSync(join(dir, 'cert.pem'), 'utf8');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:mailq-ses-events';
const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem';
const confirmed: string[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = useTestPlatform({
  relay: {
    providers: {
      ses: { allowedTopicArns: [TOPIC] },
      sendgrid: { publicKey: sendgrid.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
      mailgun: { signingKey: MAILGUN_KEY },
      postmark: { user: 'postmark', password: 'hook-secret', allowedIps: [] },
    },
    snsPorts: {
      fetchCertificate: async (url) =>
        url === CERT_URL ? snsCert : Promise.reject(new Error('unexpected URL')),
      confirmSubscription: async (url) => void confirmed.push(url),
    },
  },
});

const post = (provider: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${env.platform.url}/v1/providers/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

async function deliveredMessage(to: string) {
  const id = await sendOk(env.platform, sampleEmail({ to }));
  await waitForEmail(env.platform, id, 'delivered');
  return id;
}

function mailgunBody(
  id: string,
  recipient: string,
  options: { at?: number; key?: string; eventId?: string } = {},
) {
  const timestamp = String(Math.floor(options.at ?? Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  const signature = createHmac('sha256', options.key ?? MAILGUN_KEY)
    .update(timestamp + token)
    .digest('hex');
  return JSON.stringify({
    signature: { timestamp, token, signature },
    'event-data': {
      event: 'failed',
      severity: 'permanent',
      id: options.eventId ?? `mg-${id}`,
      timestamp: Date.now() / 1000,
      recipient,
      message: { headers: { 'message-id': `${id}@example.com` } },
      'delivery-status': { code: 550, message: '5.1.1 mailbox does not exist', 'enhanced-code': '5.1.1' },
      'user-variables': {},
    },
  });
}

describe('provider webhooks', () => {
  it('Mailgun: applies a genuine bounce exactly once; forged, stale and replayed requests get 406', async () => {
    const id = await deliveredMessage('gone@mailgun.test');
    const genuine = mailgunBody(id, 'gone@mailgun.test');
    const accepted = await post('mailgun', genuine);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ accepted: 1 });
    expect((await post('mailgun', genuine)).status).toBe(406); // the same token again
    expect((await post('mailgun', mailgunBody(id, 'gone@mailgun.test', { key: 'wrong-key' }))).status).toBe(
      406,
    );
    expect(
      (await post('mailgun', mailgunBody(id, 'gone@mailgun.test', { at: Date.now() / 1000 - 3600 }))).status,
    ).toBe(406);
    // Mailgun resending the same event with a fresh token is accepted but applied once.
    expect((await post('mailgun', mailgunBody(id, 'gone@mailgun.test'))).status).toBe(200);

    const email = await waitForEmail(env.platform, id, 'bounced');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await waitForEmail(env.platform, id, 'bounced');
    expect(again.events.filter((e) => e.type === 'bounced')).toHaveLength(1);
    expect(email.recipients[0]?.status).toBe('bounced');
    const next = await sendOk(env.platform, sampleEmail({ to: 'gone@mailgun.test' }));
    await waitForEmail(env.platform, next, 'suppressed');
  });

  it('SendGrid: a signed spam report is a complaint that suppresses; bad or stale signatures get 403', async () => {
    const id = await deliveredMessage('angry@sendgrid.test');
    const body = JSON.stringify([
      {
        event: 'spamreport',
        email: 'angry@sendgrid.test',
        timestamp: Math.floor(Date.now() / 1000),
        sg_event_id: `sg-${id}`,
        mq_message_id: id,
      },
    ]);
    const signedAt = (ts: string, key = sendgrid.privateKey) =>
      sign('sha256', Buffer.from(ts + body), key).toString('base64');
    const now = String(Math.floor(Date.now() / 1000));
    const headers = (ts: string, signature: string) => ({
      'x-twilio-email-event-webhook-timestamp': ts,
      'x-twilio-email-event-webhook-signature': signature,
    });
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect((await post('sendgrid', body, headers(now, signedAt(now, other)))).status).toBe(403);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await post('sendgrid', body, headers(stale, signedAt(stale)))).status).toBe(403);
    expect((await post('sendgrid', body, headers(now, signedAt(now)))).status).toBe(200);

    const email = await waitForEmail(env.platform, id, (e) =>
      e.events.some((ev) => ev.type === 'complained'),
    );
    expect(email.status).toBe('delivered');
    const next = await sendOk(env.platform, sampleEmail({ to: 'angry@sendgrid.test' }));
    await waitForEmail(env.platform, next, 'suppressed');
  });

  it('SES via SNS: verifies the certificate signature and topic, and confirms subscriptions', async () => {
    const id = await deliveredMessage('ses-user@ses.test');
    const message = JSON.stringify({
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [
          { emailAddress: 'ses-user@ses.test', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 unknown' },
        ],
        timestamp: new Date().toISOString(),
        feedbackId: `fb-${id}`,
      },
      mail: {
        timestamp: new Date().toISOString(),
        messageId: 'ses-1',
        destination: ['ses-user@ses.test'],
        headers: [{ name: 'Message-ID', value: `<${id}@example.com>` }],
      },
    });
    const fields = (topic: string) => ({
      Type: 'Notification',
      MessageId: `sns-${id}`,
      TopicArn: topic,
      Message: message,
      Timestamp: new Date().toISOString(),
    });
    const signSns = (m: Record<string, string>, key = snsKey) => {
      const canonical = ['Message', 'MessageId', 'Timestamp', 'TopicArn', 'Type']
        .map((k) => `${k}\n${m[k]}\n`)
        .join('');
      return {
        ...m,
        SignatureVersion: '2',
        SigningCertURL: CERT_URL,
        Signature: sign('sha256', Buffer.from(canonical), key).toString('base64'),
      };
    };
    const forgedKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect((await post('ses', JSON.stringify(signSns(fields(TOPIC), forgedKey)))).status).toBe(403);
    expect(
      (await post('ses', JSON.stringify(signSns(fields('arn:aws:sns:eu-west-1:999999999999:other'))))).status,
    ).toBe(403);
    expect((await post('ses', JSON.stringify(signSns(fields(TOPIC))))).status).toBe(200);
    await waitForEmail(env.platform, id, 'bounced');

    const subscribeUrl = `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=abc`;
    const subscription = {
      Type: 'SubscriptionConfirmation',
      MessageId: 'sub-1',
      Token: 'abc',
      TopicArn: TOPIC,
      Message: 'confirm',
      SubscribeURL: subscribeUrl,
      Timestamp: new Date().toISOString(),
    };
    const canonical = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type']
      .map((k) => `${k}\n${(subscription as Record<string, string>)[k]}\n`)
      .join('');
    const signedSubscription = {
      ...subscription,
      SignatureVersion: '2',
      SigningCertURL: CERT_URL,
      Signature: sign('sha256', Buffer.from(canonical), snsKey).toString('base64'),
    };
    expect((await post('ses', JSON.stringify(signedSubscription))).status).toBe(200);
    expect(confirmed).toEqual([subscribeUrl]);
  });

  it('Postmark: wrong credentials get 403; a genuine delivery report is recorded', async () => {
    const id = await deliveredMessage('pm@postmark.test');
    const body = JSON.stringify({
      RecordType: 'Delivery',
      MessageID: 'pm-1',
      Recipient: 'pm@postmark.test',
      DeliveredAt: new Date().toISOString(),
      Details: 'ok',
      Metadata: { mq_message_id: id },
    });
    const basic = (user: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    expect((await post('postmark', body, basic('postmark', 'wrong'))).status).toBe(403);
    expect((await post('postmark', body)).status).toBe(403);
    expect((await post('postmark', body, basic('postmark', 'hook-secret'))).status).toBe(200);
    await waitForEmail(env.platform, id, (e) =>
      e.events.some((ev) => ev.type === 'delivered' && ev.detail?.includes('postmark')),
    );
  });

  it('refuses unknown providers and malformed bodies', async () => {
    expect((await post('acme', '{}')).status).toBe(400);
    expect((await post('ses', 'not json')).status).toBe(400);
  });
});
