/** An IPv4 address carried inside an IPv6 one, and the mechanism carrying it. */
export interface EmbeddedIpv4 {
  readonly kind: string;
  readonly ipv4: string;
}

/**
 * Expands a valid IPv6 address (already checked with `net.isIPv6`, zone
 * removed) into its eight 16-bit groups, including the dotted-quad tail form.
 */
export function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (rest === undefined) return left;
  const right = parse(rest);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function dottedQuad(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function startsWith(groups: readonly number[], prefix: readonly number[]): boolean {
  return prefix.every((value, i) => groups[i] === value);
}

/**
 * The IPv4 addresses an IPv6 address routes to, for the transition mechanisms
 * that let an attacker spell an internal IPv4 target as a public-looking IPv6
 * literal. Teredo yields both its server and its (obfuscated) client address.
 */
export function embeddedIpv4(ip: string): EmbeddedIpv4[] {
  const g = ipv6Groups(ip);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, , , g6 = 0, g7 = 0] = g;
  const last32 = dottedQuad(g6, g7);
  // ::ffff:0:0/96 — IPv4-mapped (RFC 4291 §2.5.5.2): dual-stack sockets
  // connect to the IPv4 address itself.
  if (startsWith(g, [0, 0, 0, 0, 0, 0xffff])) return [{ kind: 'IPv4-mapped IPv6', ipv4: last32 }];
  // ::ffff:0:0:0/96 — IPv4-translated (RFC 2765 §2.1, SIIT).
  if (startsWith(g, [0, 0, 0, 0, 0xffff, 0])) return [{ kind: 'IPv4-translated IPv6', ipv4: last32 }];
  // ::/96 — deprecated IPv4-compatible (RFC 4291 §2.5.5.1); :: and ::1 are
  // not IPv4 addresses and are left to the range table.
  if (startsWith(g, [0, 0, 0, 0, 0, 0]) && (g6 !== 0 || g7 > 1)) {
    return [{ kind: 'IPv4-compatible IPv6', ipv4: last32 }];
  }
  // 64:ff9b::/96 — well-known NAT64 prefix (RFC 6052): the translator
  // forwards to the embedded IPv4 address.
  if (startsWith(g, [0x64, 0xff9b, 0, 0, 0, 0])) return [{ kind: 'NAT64 IPv6', ipv4: last32 }];
  // 2002::/16 — 6to4 (RFC 3056): bits 16–47 are the relay's IPv4 address.
  if (g0 === 0x2002) return [{ kind: '6to4 IPv6', ipv4: dottedQuad(g1, g2) }];
  // 2001::/32 — Teredo (RFC 4380 §4): server in bits 32–63, client in
  // bits 96–127 with every bit inverted.
  if (g0 === 0x2001 && g1 === 0) {
    return [
      { kind: 'Teredo IPv6 (server)', ipv4: dottedQuad(g2, g3) },
      { kind: 'Teredo IPv6 (client)', ipv4: dottedQuad(g6 ^ 0xffff, g7 ^ 0xffff) },
    ];
  }
  return [];
}
