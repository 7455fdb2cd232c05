import { createSocket } from 'node:dgram';
import type { MxRecord } from './dns-resolver';

/**
 * Test helper, not exported from the package: a minimal authoritative DNS server on a loopback
 * UDP port, so `systemResolver` is tested against real c-ares queries instead of mocks.
 */
export interface TestZone {
  [name: string]: {
    a?: string[];
    aaaa?: string[];
    mx?: MxRecord[];
    txt?: string[][];
    cname?: string[];
    /** Answer every query for this name with SERVFAIL. */
    servfail?: boolean;
  };
}

const TYPE = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };
const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 };

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
    Buffer.from([0]),
  ]);
}

function ipv6(address: string): Buffer {
  const [head = '', tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function rdata(type: number, entry: TestZone[string]): Buffer[] {
  switch (type) {
    case TYPE.A:
      return (entry.a ?? []).map((ip) => Buffer.from(ip.split('.').map(Number)));
    case TYPE.AAAA:
      return (entry.aaaa ?? []).map(ipv6);
    case TYPE.MX:
      return (entry.mx ?? []).map((mx) => {
        const preference = Buffer.alloc(2);
        preference.writeUInt16BE(mx.priority);
        return Buffer.concat([preference, encodeName(mx.exchange)]);
      });
    case TYPE.TXT:
      return (entry.txt ?? []).map((strings) =>
        Buffer.concat(
          strings.map((s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)])),
        ),
      );
    case TYPE.CNAME:
      return (entry.cname ?? []).map(encodeName);
    default:
      return [];
  }
}

function answer(query: Buffer, zone: TestZone): Buffer {
  let end = 12;
  const labels: string[] = [];
  for (let length = query.readUInt8(end); length > 0; length = query.readUInt8(end)) {
    labels.push(query.subarray(end + 1, end + 1 + length).toString());
    end += length + 1;
  }
  const type = query.readUInt16BE(end + 1);
  const question = query.subarray(12, end + 5);
  const entry = zone[labels.join('.').toLowerCase()];
  const rcode = entry === undefined ? RCODE.NXDOMAIN : entry.servfail ? RCODE.SERVFAIL : RCODE.NOERROR;
  const records = entry && !entry.servfail ? rdata(type, entry) : [];

  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8000 | 0x0400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((data) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question name
    fixed.writeUInt16BE(type, 2);
    fixed.writeUInt16BE(1, 4); // class IN
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(data.length, 10);
    return Buffer.concat([fixed, data]);
  });
  return Buffer.concat([header, question, ...answers]);
}

/** Starts the server; `server` is the `host:port` to pass to `systemResolver({ servers })`. */
export async function startDnsTestServer(
  zone: TestZone,
): Promise<{ server: string; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => socket.send(answer(query, zone), peer.port, peer.address));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
