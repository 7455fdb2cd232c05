import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedResolver } from './test-support';
import { deliverWebhook } from './webhook-client';

// Every target below must be refused before a socket reaches it. Literal IPs
// are refused by the URL check (Node never calls `lookup` for them); host
// names resolve through a fake DNS to internal addresses and are refused at
// connect time. A trap receiver on 127.0.0.1 counts anything that slips through.
const dns = fixedResolver({
  'localhost.example': ['127.0.0.1', '::1'],
  'internal.example': ['10.1.2.3'],
  'metadata.example': ['169.254.169.254'],
  'gcp-metadata.example': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '10.0.0.1'],
  'mixed-v6.example': ['2606:2800:220:1:248:1893:25c8:1946', 'fd00::5'],
  'mapped.example': ['::ffff:192.168.0.1'],
  'nat64.example': ['64:ff9b::a9fe:a9fe'],
  'aws-v6-metadata.example': ['fd00:ec2::254'],
  'zero.example': ['0.0.0.0'],
  'cgnat.example': ['100.100.100.200'],
});

const LITERALS = [
  '127.0.0.1',
  '127.1',
  '2130706433',
  '0177.0.0.1',
  '0x7f000001',
  '0x7f.1',
  '127.0.0.1.',
  '127.000.000.001',
  '１２７.０.０.１',
  '0.0.0.0',
  '0',
  'localhost',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '224.0.0.1',
  '255.255.255.255',
  '198.18.0.1',
  '192.0.2.1',
  '240.0.0.1',
  '[::1]',
  '[::]',
  '[::ffff:127.0.0.1]',
  '[::ffff:10.0.0.1]',
  '[::ffff:a9fe:a9fe]',
  '[::7f00:1]',
  '[fc00::1]',
  '[fd12:3456::1]',
  '[fe80::1]',
  '[ff02::1]',
  '[64:ff9b::a00:1]',
  '[2002:a00:1::1]',
  '[2001:0:4136:e378:8000:63bf:f5ff:fffe]',
  '[2001:db8::1]',
];

const NAMES = [
  'localhost.example',
  'internal.example',
  'metadata.example',
  'mixed.example',
  'mixed-v6.example',
  'mapped.example',
  'nat64.example',
  'aws-v6-metadata.example',
  'zero.example',
  'cgnat.example',
];

let trapPort = 0;
let trapHits = 0;
const trap = createServer((_req, res) => {
  trapHits += 1;
  res.end('reached');
});
beforeAll(
  () =>
    new Promise<void>((resolve) =>
      trap.listen(0, '127.0.0.1', () => {
        const address = trap.address();
        if (address !== null && typeof address !== 'string') trapPort = address.port;
        resolve();
      }),
    ),
);
afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())));

describe('SSRF corpus', () => {
  it('has at least 30 targets', () => {
    expect(LITERALS.length + NAMES.length).toBeGreaterThanOrEqual(30);
  });

  it.each([...LITERALS, ...NAMES])('blocks http://%s', async (host) => {
    const attempt = await deliverWebhook(
      { url: `http://${host}:${trapPort}/hook`, headers: {}, body: '{}' },
      { lookup: dns, timeoutMs: 2_000 },
    );
    expect(attempt.ok).toBe(false);
    expect(attempt.status).toBeUndefined();
    expect(attempt.error).toMatch(/^blocked: /);
  });

  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:70/_SLAVEOF',
    'ftp://example.com/',
    'dict://127.0.0.1:11211/',
    'http://user:secret@example.com/',
    'https://token@example.com/',
  ])('refuses %s without connecting', async (url) => {
    const attempt = await deliverWebhook({ url, headers: {}, body: '{}' }, { lookup: dns, timeoutMs: 2_000 });
    expect(attempt.ok).toBe(false);
    expect(attempt.error).toMatch(/^invalid webhook URL: /);
  });

  it('let nothing reach the trap receiver', () => {
    expect(trapHits).toBe(0);
  });
});
