import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy in front of Redis that can play a network partition. */
export interface RedisProxy {
  readonly port: number;
  /** Drops every open connection and resets new ones until restore(): Redis is unreachable, yet keeps running. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:<port> to 127.0.0.1:`targetPort`. Unlike stopping Redis,
 * a cut leaves the server's clock and keys alive (locks expire meanwhile, as
 * in a real partition), and the listening port stays ours the whole time.
 */
export async function startRedisProxy(targetPort: number): Promise<RedisProxy> {
  const open = new Set<Socket>();
  let down = false;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    // Resets are the point of this proxy; they must not crash the test process.
    socket.on('error', () => undefined);
  };
  const server = createServer((client) => {
    track(client);
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('redis proxy: no TCP address');
  return {
    port: address.port,
    cut() {
      down = true;
      for (const socket of open) socket.resetAndDestroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
