import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a Hono app with @hono/node-server; resolves once listening. */
export async function listen(
  app: Pick<Hono, 'fetch'>,
  port: number,
  hostname = '127.0.0.1',
): Promise<HttpServer> {
  let server: ServerType | undefined;
  const info = await new Promise<AddressInfo>((resolve, reject) => {
    server = serve({ fetch: app.fetch, port, hostname }, resolve);
    server.once('error', reject);
  });
  const running = server as ServerType;
  return {
    url: `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}`,
    port: info.port,
    close: () =>
      new Promise<void>((resolve) => {
        running.close(() => resolve());
        // Keep-alive sockets would hold close() open until they time out.
        if ('closeAllConnections' in running) running.closeAllConnections();
      }),
  };
}
