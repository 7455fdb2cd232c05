import { describe, expect, it } from 'vitest';
import { isForbiddenAddress, parseWebhookUrl, WebhookUrlError } from './ssrf-guard';

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network"'],
    ['10.0.0.5', 'private (RFC 1918)'],
    ['172.16.0.1', 'private (RFC 1918)'],
    ['172.31.255.255', 'private (RFC 1918)'],
    ['192.168.1.1', 'private (RFC 1918)'],
    ['100.64.0.1', 'CGNAT (RFC 6598)'],
    ['100.127.255.255', 'CGNAT (RFC 6598)'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.1.1', 'link-local (RFC 3927)'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation (RFC 5737)'],
    ['198.51.100.7', 'documentation (RFC 5737)'],
    ['203.0.113.9', 'documentation (RFC 5737)'],
    ['198.18.0.1', 'benchmarking (RFC 2544)'],
    ['198.19.255.255', 'benchmarking (RFC 2544)'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved (RFC 1112)'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'IPv4-mapped IPv6 of 127.0.0.1, loopback'],
    ['::ffff:10.0.0.1', 'IPv4-mapped IPv6 of 10.0.0.1, private (RFC 1918)'],
    ['::ffff:a00:1', 'IPv4-mapped IPv6 of 10.0.0.1, private (RFC 1918)'],
    ['::FFFF:A9FE:A9FE', 'IPv4-mapped IPv6 of 169.254.169.254, cloud metadata'],
    ['::ffff:0:a00:1', 'IPv4-translated IPv6 of 10.0.0.1'],
    ['::7f00:1', 'IPv4-compatible IPv6 of 127.0.0.1, loopback'],
    ['::127.0.0.1', 'IPv4-compatible IPv6 of 127.0.0.1'],
    ['64:ff9b::a00:1', 'NAT64 IPv6 of 10.0.0.1, private (RFC 1918)'],
    ['64:ff9b::169.254.169.254', 'NAT64 IPv6 of 169.254.169.254, cloud metadata'],
    ['64:ff9b:1::1', 'local-use NAT64 (RFC 8215)'],
    ['2002:a00:1::1', '6to4 IPv6 of 10.0.0.1, private (RFC 1918)'],
    ['2002:7f00:1::', '6to4 IPv6 of 127.0.0.1, loopback'],
    // Teredo: public server 65.54.227.120, client 10.0.0.1 stored bit-inverted.
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo IPv6 (client) of 10.0.0.1, private (RFC 1918)'],
    ['2001:0:a00:1::', 'Teredo IPv6 (server) of 10.0.0.1'],
    ['fc00::1', 'unique local IPv6 (fc00::/7'],
    ['fd12:3456::1', 'unique local IPv6 (fc00::/7'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation (RFC 3849)'],
    ['3fff::1', 'documentation (RFC 9637)'],
    ['100::1', 'discard-only (RFC 6666)'],
    ['2001:2::1', 'benchmarking (RFC 5180)'],
    ['4000::1', 'outside 2000::/3'],
    ['::2:3:4', 'reserved'],
  ])('%s is forbidden: %s', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toContain(reason);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:2800:220:1:248:1893:25c8:1946',
    '::ffff:93.184.216.34',
    '64:ff9b::5db8:d822',
    '2002:5db8:d822::1',
  ])('%s is public', (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull();
  });

  it('fails closed on anything that is not an IP address', () => {
    for (const input of ['', 'localhost', '127.1', '0x7f000001', '[::1]', '1.2.3.4.5', '::g']) {
      expect(isForbiddenAddress(input)).toBe('not an IP address');
    }
  });

  it('lifts loopback only with allowLoopback, including its IPv6 spellings', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(isForbiddenAddress(ip, { allowPrivate: true })).not.toBeNull();
      expect(isForbiddenAddress(ip, { allowLoopback: true })).toBeNull();
    }
  });

  it('lifts private ranges only with allowPrivate', () => {
    for (const ip of ['10.0.0.1', '172.20.1.1', '192.168.0.10', '100.64.0.1', 'fd12::1', '::ffff:10.0.0.1']) {
      expect(isForbiddenAddress(ip, { allowLoopback: true })).not.toBeNull();
      expect(isForbiddenAddress(ip, { allowPrivate: true })).toBeNull();
    }
  });

  it('never lifts metadata, link-local, unspecified, multicast or broadcast', () => {
    const everything = { allowLoopback: true, allowPrivate: true };
    for (const ip of [
      '169.254.169.254',
      '100.100.100.200',
      'fd00:ec2::254',
      '169.254.1.1',
      'fe80::1',
      '0.0.0.0',
    ]) {
      expect(isForbiddenAddress(ip, everything)).not.toBeNull();
    }
    for (const ip of ['::', '224.0.0.1', '255.255.255.255', '::ffff:169.254.169.254']) {
      expect(isForbiddenAddress(ip, everything)).not.toBeNull();
    }
  });
});

function refusal(url: string, policy = {}): WebhookUrlError {
  try {
    parseWebhookUrl(url, policy);
  } catch (error) {
    if (error instanceof WebhookUrlError) return error;
    throw error;
  }
  throw new Error(`${url} was accepted`);
}

describe('parseWebhookUrl', () => {
  it('accepts public http(s) URLs and returns the parsed URL', () => {
    const url = parseWebhookUrl('https://hooks.example.com:8443/mailq?x=1');
    expect(url.hostname).toBe('hooks.example.com');
    expect(url.port).toBe('8443');
    expect(parseWebhookUrl('http://93.184.216.34/hook').hostname).toBe('93.184.216.34');
    expect(parseWebhookUrl('http://[2606:2800:220:1::1]/').hostname).toBe('[2606:2800:220:1::1]');
  });

  it.each([
    ['file:///etc/passwd', 'scheme "file:"'],
    ['gopher://127.0.0.1:70/_', 'scheme "gopher:"'],
    ['ftp://example.com/', 'scheme "ftp:"'],
    ['javascript:alert(1)', 'scheme "javascript:"'],
    ['data:text/plain,hi', 'scheme "data:"'],
    ['http://user:pass@example.com/', 'credentials'],
    ['https://token@example.com/', 'credentials'],
    ['http://example.com:0/', 'port 0'],
    ['http://example.com:65536/', 'not a valid absolute URL'],
    ['/relative/path', 'not a valid absolute URL'],
    ['http://256.1.1.1/', 'not a valid absolute URL'],
  ])('refuses %s as invalid (%s)', (url, message) => {
    const error = refusal(url);
    expect(error.code).toBe('invalid_url');
    expect(error.message).toContain(message);
  });

  it.each([
    ['http://127.1/', '127.0.0.1 is loopback'],
    ['http://2130706433/', '127.0.0.1 is loopback'],
    ['http://0177.0.0.1/', '127.0.0.1 is loopback'],
    ['http://0x7f000001/', '127.0.0.1 is loopback'],
    ['http://0x7f.1/', '127.0.0.1 is loopback'],
    ['http://0/', '0.0.0.0 is unspecified'],
    ['http://localhost:3000/', 'localhost is loopback'],
    ['http://api.LOCALHOST./', 'api.localhost. is loopback'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is IPv4-mapped IPv6 of 127.0.0.1'],
    ['https://169.254.169.254/latest/meta-data/', '169.254.169.254 is cloud metadata'],
  ])('refuses %s as a forbidden address', (url, message) => {
    const error = refusal(url);
    expect(error.code).toBe('forbidden_address');
    expect(error.message.slice(0, `blocked: ${message}`.length)).toBe(`blocked: ${message}`);
  });

  it('lets the policy admit a loopback receiver', () => {
    expect(parseWebhookUrl('http://127.0.0.1:4000/hook', { allowLoopback: true }).port).toBe('4000');
    expect(parseWebhookUrl('http://localhost:4000/', { allowLoopback: true }).hostname).toBe('localhost');
  });

  it('leaves other host names to the connect-time check', () => {
    expect(parseWebhookUrl('http://internal.corp.example/').hostname).toBe('internal.corp.example');
  });
});
