import { staticResolver } from '@mailq/mail';
import { describe, expect, it } from 'vitest';
import { sendOk, waitForEmail } from './support/email-status';
import { sampleEmail } from './support/platform';
import { useTestPlatform } from './support/test-platform';

// The destination's MX is found through the DNS port: here it points at the
// test's SMTP sink on loopback (MX_PORT is the sink's port).
const dns = staticResolver({
  mx: {
    'direct.test': [
      { exchange: 'mx-down.direct.test', priority: 5 },
      { exchange: 'mx.direct.test', priority: 10 },
    ],
    'nullmx.test': [{ exchange: '.', priority: 0 }],
  },
  a: { 'mx.direct.test': ['127.0.0.1'], 'mx-down.direct.test': ['127.0.0.2'] },
});
const env = useTestPlatform({
  resolver: dns,
  workerEnv: (sink) => ({ DELIVERY_MODE: 'mx', MX_PORT: String(sink.port), SMTP_TIMEOUT_MS: '1000' }),
});

describe('mx delivery mode', () => {
  it('delivers to the MX found through the resolver port, falling back past an unreachable host', async () => {
    const id = await sendOk(env.platform, sampleEmail({ to: 'user@direct.test' }));
    const email = await waitForEmail(env.platform, id, 'delivered', 20_000);
    expect(email.recipients[0]?.reply).toMatch(/^250/);
    expect(env.sink.messages[0]?.envelope.rcptTo).toEqual(['user@direct.test']);
  });

  it('bounces a domain that publishes a null MX without trying to connect', async () => {
    const id = await sendOk(env.platform, sampleEmail({ to: 'user@nullmx.test' }));
    const email = await waitForEmail(env.platform, id, 'bounced');
    expect(email.recipients[0]?.reply).toContain('null MX');
  });
});
