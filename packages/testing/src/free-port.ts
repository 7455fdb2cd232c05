import { createServer } from 'node:net';

/**
 * Asks the OS for a currently free TCP port on 127.0.0.1.
 *
 * The port is released before this resolves, so another process could grab it
 * in between; callers that spawn servers retry with a new port when binding fails.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('freePort: server.address() did not return a TCP address'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Whether 127.0.0.1:`port` can be bound right now (checked by binding it briefly). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
