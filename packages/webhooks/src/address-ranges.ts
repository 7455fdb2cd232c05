import { BlockList } from 'node:net';

/**
 * Which policy switch, if any, may lift a range: `loopback` and `private` are
 * legitimate for self-hosted or test receivers when explicitly allowed; `never`
 * ranges (metadata services, link-local, multicast, …) stay blocked always.
 */
export type RangeScope = 'loopback' | 'private' | 'never';

/** A special-purpose address range and why delivering to it is refused. */
export interface AddressRange {
  readonly reason: string;
  readonly scope: RangeScope;
}

type RangeSpec = readonly [subnet: string, prefix: number, reason: string, scope?: RangeScope];

// From the IANA special-purpose registries (RFC 6890 and successors). Order
// matters: the first match names the reason, so narrow ranges precede the
// wider ones containing them (metadata inside link-local and CGNAT).
const IPV4: readonly RangeSpec[] = [
  // AWS/GCP/Azure/OpenStack instance metadata: the classic SSRF prize.
  ['169.254.169.254', 32, 'cloud metadata'],
  ['169.254.170.2', 32, 'cloud metadata (AWS ECS task credentials)'],
  ['100.100.100.200', 32, 'cloud metadata (Alibaba Cloud)'],
  // Public address, but inside Azure it is the host's WireServer endpoint.
  ['168.63.129.16', 32, 'cloud metadata (Azure WireServer)'],
  // Linux connects 0.0.0.0 to the local host, so it is never "just unused".
  ['0.0.0.0', 32, 'unspecified (RFC 1122)'],
  ['0.0.0.0', 8, 'reserved "this network" (RFC 1122)'],
  ['127.0.0.0', 8, 'loopback (RFC 1122)', 'loopback'],
  ['10.0.0.0', 8, 'private (RFC 1918)', 'private'],
  ['172.16.0.0', 12, 'private (RFC 1918)', 'private'],
  ['192.168.0.0', 16, 'private (RFC 1918)', 'private'],
  ['100.64.0.0', 10, 'CGNAT (RFC 6598)', 'private'],
  ['169.254.0.0', 16, 'link-local (RFC 3927)'],
  ['192.0.0.0', 24, 'reserved IETF protocol assignments (RFC 6890)'],
  ['192.0.2.0', 24, 'documentation (RFC 5737)'],
  ['198.51.100.0', 24, 'documentation (RFC 5737)'],
  ['203.0.113.0', 24, 'documentation (RFC 5737)'],
  ['192.88.99.0', 24, 'reserved 6to4 relay anycast (RFC 7526)'],
  ['198.18.0.0', 15, 'benchmarking (RFC 2544)'],
  ['224.0.0.0', 4, 'multicast (RFC 5771)'],
  ['255.255.255.255', 32, 'broadcast (RFC 919)'],
  ['240.0.0.0', 4, 'reserved (RFC 1112)'],
];

// Ranges that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) are handled
// before this table by extracting the IPv4 address; see ipv4-embedding.ts.
const IPV6: readonly RangeSpec[] = [
  ['::', 128, 'unspecified (RFC 4291)'],
  ['::1', 128, 'loopback (RFC 4291)', 'loopback'],
  ['fd00:ec2::254', 128, 'cloud metadata (AWS IPv6)'],
  ['64:ff9b:1::', 48, 'local-use NAT64 (RFC 8215)'],
  ['100::', 64, 'discard-only (RFC 6666)'],
  ['2001:2::', 48, 'benchmarking (RFC 5180)'],
  ['2001:10::', 28, 'reserved ORCHID (RFC 4843)'],
  ['2001:20::', 28, 'reserved ORCHIDv2 (RFC 7343)'],
  ['2001:db8::', 32, 'documentation (RFC 3849)'],
  ['3fff::', 20, 'documentation (RFC 9637)'],
  ['fc00::', 7, 'unique local IPv6 (fc00::/7, RFC 4193)', 'private'],
  ['fe80::', 10, 'link-local (RFC 4291)'],
  ['fec0::', 10, 'deprecated site-local (RFC 3879)'],
  ['ff00::', 8, 'multicast (RFC 4291)'],
];

interface CompiledRange extends AddressRange {
  readonly list: BlockList;
}

function compile(specs: readonly RangeSpec[], family: 'ipv4' | 'ipv6'): CompiledRange[] {
  return specs.map(([subnet, prefix, reason, scope = 'never']) => {
    const list = new BlockList();
    list.addSubnet(subnet, prefix, family);
    return { list, reason, scope };
  });
}

const COMPILED = { ipv4: compile(IPV4, 'ipv4'), ipv6: compile(IPV6, 'ipv6') };

// Only 2000::/3 is allocated for global unicast (RFC 4291 §2.4); anything else
// not listed above is unassigned, so it is refused rather than trusted.
const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

/**
 * The first special-purpose range containing `ip` (a valid, zone-free address of
 * the given family), or null when it is ordinary global unicast.
 */
export function findRange(ip: string, family: 'ipv4' | 'ipv6'): AddressRange | null {
  const hit = COMPILED[family].find((range) => range.list.check(ip, family));
  if (hit) return { reason: hit.reason, scope: hit.scope };
  if (family === 'ipv6' && !GLOBAL_UNICAST.check(ip, 'ipv6')) {
    return { reason: 'reserved (outside 2000::/3 global unicast, RFC 4291)', scope: 'never' };
  }
  return null;
}
