import { Redis } from 'ioredis';
import { waitUntil } from './wait-until';

/**
 * Runs one command against a single redis node on 127.0.0.1 over a throw-away
 * connection and returns the raw reply.
 *
 * The client never retries or queues: while a server is starting we want a fast
 * failure that the surrounding poll can retry, not ioredis' own reconnect loop.
 */
export async function redisCommand(
  port: number,
  password: string | undefined,
  command: string,
  ...args: string[]
): Promise<unknown> {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    password,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints "Unhandled error event" for every refused
  // connection while we poll; the rejection below already carries the error.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command, args);
  } finally {
    client.disconnect();
  }
}

/**
 * Polls PING until the server answers PONG (it answers `-LOADING` while it
 * replays the AOF, which counts as not ready). Fails fast if the process exits
 * meanwhile (bind error, bad argument) and, on any failure, appends the redis
 * output tail from `describe()` so the cause is visible in the test report.
 */
export async function waitForRedisReady(
  port: number,
  password: string | undefined,
  opts: { timeoutMs: number; exited: Promise<void>; describe: () => string },
): Promise<void> {
  let exited = false;
  const ready = waitUntil(async () => exited || (await redisCommand(port, password, 'PING')) === 'PONG', {
    timeoutMs: opts.timeoutMs,
    message: `redis on port ${port} did not answer PING within ${opts.timeoutMs} ms`,
  });
  const died = opts.exited.then(() => {
    // Also ends the poll above on its next attempt, so no timer is left behind.
    exited = true;
    return new Error(`redis-server on port ${port} exited during startup`);
  });
  const outcome = await Promise.race([ready.then(() => undefined), died]).catch((error: Error) => error);
  if (outcome === undefined) return;
  throw new Error(`${outcome.message}\n--- redis output tail ---\n${opts.describe()}`, { cause: outcome });
}
