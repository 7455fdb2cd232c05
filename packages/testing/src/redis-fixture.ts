import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServerHandle } from './redis-server';

export interface RedisFixture<C> {
  /** The server; valid from the file's first test on. */
  readonly server: RedisServerHandle;
  /** The client `connect` opened on it; valid from the file's first test on. */
  readonly client: C;
}

/**
 * One redis-server for a test file: started before its tests with a client from `connect`
 * (e.g. the product's producer connection), and both stopped after them. Hooks the file
 * registers later run after this one's, so they can already use `client`.
 */
export function useRedisServer<C extends { disconnect(): void }>(
  connect: (url: string) => Promise<C>,
): RedisFixture<C> {
  let server: RedisServerHandle | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connect(server.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.destroy();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useRedisServer: the ${what} is used before the tests started`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get client() {
      return started(client, 'client');
    },
  };
}
