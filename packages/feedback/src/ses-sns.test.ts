import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackAuthError, FeedbackFormatError } from './errors';
import { verifySnsMessage, type SnsVerifyOptions } from './ses-sns';

// A real RSA key and self-signed X.509 certificate, made by openssl as SNS's are
// served: PEM at an https URL. Signatures are computed over the canonical
// strings the SNS documentation defines, written out here independently.
let dir = '';
let keyPem = '';
let certPem = '';
let otherKeyPem = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mq-sns-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const selfSigned = 'req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=sns.amazonaws.com'.split(' ');
  openssl(...selfSigned, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'));
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(dir, 'other.pem'));
  keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  otherKeyPem = readFileSync(join(dir, 'other.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:mailq-ses-events';
const CERT_URL =
  'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';
// The certificate is valid from the moment openssl makes it (in beforeAll), so
// the test clock runs a minute ahead of the wall clock at module load.
const NOW = new Date(Date.now() + 60_000);
const minutesAgo = (n: number) => new Date(NOW.getTime() - n * 60_000).toISOString();

type Fields = Record<string, string>;

function canonical(m: Fields): string {
  const keys =
    m['Type'] === 'Notification'
      ? ['Message', 'MessageId', ...('Subject' in m ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys.map((k) => `${k}\n${m[k]}\n`).join('');
}

function signed(m: Fields, version: '1' | '2' = '2', key = keyPem): Fields {
  const digest = version === '1' ? 'sha1' : 'sha256';
  const signature = sign(digest, Buffer.from(canonical(m)), key).toString('base64');
  return { ...m, SignatureVersion: version, Signature: signature, SigningCertURL: CERT_URL };
}

const bounce = {
  notificationType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [
      {
        emailAddress: 'ada@example.net',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      },
    ],
    timestamp: '2024-03-12T10:15:31.000Z',
    feedbackId: '0100018e3a0f0f0f-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000',
  },
  mail: {
    timestamp: '2024-03-12T10:15:28.000Z',
    messageId: '0100018e3a0e0e0e-11111111-2222-3333-4444-555555555555-000000',
    destination: ['ada@example.net'],
    headers: [{ name: 'Message-ID', value: '<0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b@acme.test>' }],
  },
};

function notification(overrides: Fields = {}): Fields {
  return {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: TOPIC,
    Message: JSON.stringify(bounce),
    Timestamp: minutesAgo(1),
    UnsubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:1`,
    ...overrides,
  };
}

function subscription(overrides: Fields = {}): Fields {
  return {
    Type: 'SubscriptionConfirmation',
    MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token:
      '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736',
    TopicArn: TOPIC,
    Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37`,
    Timestamp: minutesAgo(1),
    ...overrides,
  };
}

function setup(overrides: Partial<SnsVerifyOptions> = {}) {
  const fetched: string[] = [];
  const options: SnsVerifyOptions = {
    fetchCertificate: async (url) => {
      fetched.push(url);
      return certPem;
    },
    allowedTopicArns: [TOPIC],
    now: () => NOW,
    ...overrides,
  };
  return { fetched, options };
}

async function authReason(body: unknown, options: SnsVerifyOptions): Promise<string> {
  const error: unknown = await verifySnsMessage(body, options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(FeedbackAuthError);
  return error instanceof FeedbackAuthError ? error.reason : '';
}

describe('verifySnsMessage', () => {
  it.each(['1', '2'] as const)('accepts a notification signed with SignatureVersion %s', async (version) => {
    const { options, fetched } = setup();
    const result = await verifySnsMessage(signed(notification(), version), options);
    expect(fetched).toEqual([CERT_URL]);
    expect(result).toMatchObject({ kind: 'notification', topicArn: TOPIC });
    expect(result.kind === 'notification' && result.events).toEqual([
      {
        provider: 'ses',
        providerEventId: '0100018e3a0f0f0f-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000:ada@example.net',
        type: 'bounced',
        bounceType: 'hard',
        recipient: 'ada@example.net',
        providerMessageId: '0100018e3a0e0e0e-11111111-2222-3333-4444-555555555555-000000',
        messageIdHeader: '<0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b@acme.test>',
        messageId: '0f8e2c4a-3b1d-4e5f-9a6b-7c8d9e0f1a2b',
        occurredAt: '2024-03-12T10:15:31.000Z',
        status: '5.1.1',
        reason: 'smtp; 550 5.1.1 user unknown',
      },
    ]);
  });

  it('includes Subject in the signed string when the notification has one', async () => {
    const { options } = setup();
    const result = await verifySnsMessage(
      signed(notification({ Subject: 'Amazon SES Email Event Notification' })),
      options,
    );
    expect(result.kind).toBe('notification');
  });

  it('returns a subscription to confirm, signed over SubscribeURL and Token', async () => {
    const { options } = setup();
    const message = subscription();
    expect(await verifySnsMessage(signed(message, '1'), options)).toEqual({
      kind: 'subscription',
      topicArn: TOPIC,
      subscribeUrl: message['SubscribeURL'],
    });
  });

  it('refuses a SubscribeURL on another host or over http', async () => {
    const { options } = setup();
    for (const SubscribeURL of [
      'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
      'http://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x',
      'https://attacker.example/?Action=ConfirmSubscription&Token=x',
    ]) {
      expect(await authReason(signed(subscription({ SubscribeURL })), options)).toBe('subscribe_url');
    }
  });

  it('acknowledges an unsubscribe confirmation', async () => {
    const { options } = setup();
    const message = subscription({ Type: 'UnsubscribeConfirmation' });
    expect(await verifySnsMessage(signed(message), options)).toEqual({
      kind: 'unsubscribe',
      topicArn: TOPIC,
    });
  });

  it.each([
    ['another host', 'https://sns.eu-west-1.amazonaws.com.attacker.example/cert.pem'],
    ['a look-alike host', 'https://sns.eu-west-1.amazonaws.com-evil.example/cert.pem'],
    ['a non-SNS AWS host', 'https://s3.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem'],
    [
      'an S3 bucket host ending in sns.<label>',
      'https://attacker-sns.s3.amazonaws.com/SimpleNotificationService-x.pem',
    ],
    ['a sub-domain of an SNS host', 'https://x.sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem'],
    ['http', 'http://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem'],
    ['a path not ending .pem', 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem/x'],
    ['a port', 'https://sns.eu-west-1.amazonaws.com:8443/SimpleNotificationService-x.pem'],
    ['credentials', 'https://user@sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem'],
    ['no URL at all', 'not a url'],
  ])('refuses a SigningCertURL with %s before fetching it', async (_, url) => {
    const { options, fetched } = setup();
    expect(await authReason({ ...signed(notification()), SigningCertURL: url }, options)).toBe('certificate');
    expect(fetched).toEqual([]);
  });

  it('accepts the China partition host', async () => {
    const { options, fetched } = setup();
    const url = 'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-x.pem';
    await verifySnsMessage({ ...signed(notification()), SigningCertURL: url }, options);
    expect(fetched).toEqual([url]);
  });

  it('refuses a topic that is not in the allowlist, before fetching', async () => {
    const { options, fetched } = setup({ allowedTopicArns: ['arn:aws:sns:eu-west-1:123456789012:other'] });
    expect(await authReason(signed(notification()), options)).toBe('topic');
    expect(fetched).toEqual([]);
  });

  it('refuses a message whose Timestamp is over an hour old (or far ahead)', async () => {
    const { options } = setup();
    expect(await authReason(signed(notification({ Timestamp: minutesAgo(61) })), options)).toBe('stale');
    expect(await authReason(signed(notification({ Timestamp: minutesAgo(-30) })), options)).toBe('stale');
    await expect(
      verifySnsMessage(signed(notification({ Timestamp: minutesAgo(59) })), options),
    ).resolves.toBeTruthy();
  });

  it('refuses a tampered Message, Subject or MessageId', async () => {
    const { options } = setup();
    const message = signed(notification());
    const tampered = JSON.stringify({
      ...bounce,
      mail: { ...bounce.mail, destination: ['eve@example.net'] },
    });
    expect(await authReason({ ...message, Message: tampered }, options)).toBe('signature');
    expect(await authReason({ ...message, Subject: 'added' }, options)).toBe('signature');
    expect(await authReason({ ...message, MessageId: 'another' }, options)).toBe('signature');
  });

  it('refuses a signature by another key, a v1 signature labelled v2, and unknown versions', async () => {
    const { options } = setup();
    expect(await authReason(signed(notification(), '2', otherKeyPem), options)).toBe('signature');
    expect(await authReason({ ...signed(notification(), '1'), SignatureVersion: '2' }, options)).toBe(
      'signature',
    );
    expect(await authReason({ ...signed(notification()), SignatureVersion: '3' }, options)).toBe('signature');
    expect(await authReason({ ...signed(notification()), Signature: 'AAAA' }, options)).toBe('signature');
  });

  it('refuses a certificate that is not valid at the time', async () => {
    const { options } = setup({ now: () => new Date(NOW.getTime() + 3 * 86_400_000) });
    const message = signed(
      notification({ Timestamp: new Date(NOW.getTime() + 3 * 86_400_000).toISOString() }),
    );
    expect(await authReason(message, options)).toBe('certificate');
  });

  it('lets a certificate fetch failure propagate as our own (transient) error', async () => {
    const { options } = setup({ fetchCertificate: () => Promise.reject(new Error('ECONNRESET')) });
    await expect(verifySnsMessage(signed(notification()), options)).rejects.toThrow('ECONNRESET');
  });

  it('rejects a body that is not an SNS message as malformed', async () => {
    const { options } = setup();
    await expect(verifySnsMessage({ hello: 'world' }, options)).rejects.toBeInstanceOf(FeedbackFormatError);
    await expect(verifySnsMessage([], options)).rejects.toBeInstanceOf(FeedbackFormatError);
  });

  it('yields no events for the SES set-up message', async () => {
    const { options } = setup();
    const message = notification({
      Message: 'Successfully validated SNS topic for Amazon SES event publishing.',
    });
    expect(await verifySnsMessage(signed(message), options)).toMatchObject({
      kind: 'notification',
      events: [],
    });
  });
});
