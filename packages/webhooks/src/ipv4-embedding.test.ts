import { describe, expect, it } from 'vitest';
import { embeddedIpv4, ipv6Groups } from './ipv4-embedding';

describe('ipv6Groups', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['fe80::', [0xfe80, 0, 0, 0, 0, 0, 0, 0]],
    ['2001:db8::8:800:200c:417a', [0x2001, 0xdb8, 0, 0, 0x8, 0x800, 0x200c, 0x417a]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['::ffff:192.168.1.2', [0, 0, 0, 0, 0, 0xffff, 0xc0a8, 0x0102]],
    ['64:FF9B::10.0.0.1', [0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 0x0001]],
  ])('expands %s', (ip, groups) => {
    expect(ipv6Groups(ip)).toEqual(groups);
  });
});

describe('embeddedIpv4', () => {
  it('finds the IPv4 address behind each transition mechanism', () => {
    expect(embeddedIpv4('::ffff:a00:1')).toEqual([{ kind: 'IPv4-mapped IPv6', ipv4: '10.0.0.1' }]);
    expect(embeddedIpv4('::ffff:0:7f00:1')).toEqual([{ kind: 'IPv4-translated IPv6', ipv4: '127.0.0.1' }]);
    expect(embeddedIpv4('::c0a8:101')).toEqual([{ kind: 'IPv4-compatible IPv6', ipv4: '192.168.1.1' }]);
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toEqual([{ kind: 'NAT64 IPv6', ipv4: '169.254.169.254' }]);
    expect(embeddedIpv4('2002:c0a8:101::42')).toEqual([{ kind: '6to4 IPv6', ipv4: '192.168.1.1' }]);
    // RFC 4380 §4 example layout: server 65.54.227.120, client 192.0.2.45 inverted.
    expect(embeddedIpv4('2001:0:4136:e378:8000:63bf:3fff:fdd2')).toEqual([
      { kind: 'Teredo IPv6 (server)', ipv4: '65.54.227.120' },
      { kind: 'Teredo IPv6 (client)', ipv4: '192.0.2.45' },
    ]);
  });

  it('leaves ::, ::1 and ordinary addresses alone', () => {
    for (const ip of ['::', '::1', '2606:4700::1111', 'fd00::1', '2001:db8::1']) {
      expect(embeddedIpv4(ip)).toEqual([]);
    }
  });
});
