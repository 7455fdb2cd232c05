import { createRedis, waitForReady, type RedisClient } from '@mailq/queues';
import { Stores, sha256Hex } from '@mailq/store';
import { startRedisServer, type RedisServerHandle } from '@mailq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMailq } from './support/run-mailq';

let redis: RedisServerHandle;
let client: RedisClient;

beforeAll(async () => {
  redis = await startRedisServer();
  client = createRedis({ kind: 'single', url: redis.url }, 'producer');
  await waitForReady(client);
});

afterAll(async () => {
  client?.disconnect();
  await redis?.destroy();
});

describe('mailq tenant / key', () => {
  it('creates a tenant and a key that is shown once and stored only as its SHA-256', async () => {
    const env = { REDIS_URL: redis.url };
    const tenant = await runMailq(['tenant', 'create', '--name', 'Acme'], env);
    expect(tenant.code).toBe(0);
    const tenantId = /Created tenant (tn_\S+)/.exec(tenant.stdout)?.[1];
    expect(tenantId).toBeDefined();
    expect(tenant.stdout).toContain(`mailq key create --tenant ${tenantId}`);

    const key = await runMailq(['key', 'create', '--tenant', tenantId as string, '--name', 'prod'], env);
    expect(key.code).toBe(0);
    const secret = /^\s+(mq_\S+)$/m.exec(key.stdout)?.[1] as string;
    expect(secret).toMatch(/^mq_[A-Za-z0-9_-]{40,}$/);

    const stores = new Stores(client);
    expect(await stores.apiKeys.resolve(secret)).toEqual({ tenantId, keyId: expect.stringMatching(/^key_/) });
    const dump: string[] = [];
    for (const name of await client.keys('*')) {
      dump.push(name, JSON.stringify(await client.hgetall(name).catch(() => ({}))));
    }
    const everything = dump.join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).toContain(sha256Hex(secret));

    const update = await runMailq(
      ['tenant', 'update', '--tenant', tenantId as string, '--track-clicks', 'true'],
      env,
    );
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('clicks on');
    expect((await stores.tenants.get(tenantId as string))?.tracking).toEqual({ opens: false, clicks: true });
    expect(
      (await runMailq(['tenant', 'update', '--tenant', tenantId as string, '--track-opens', 'maybe'], env))
        .code,
    ).toBe(64);
  });

  it('refuses a key for an unknown tenant, missing arguments and bad configuration with clear messages', async () => {
    const unknown = await runMailq(['key', 'create', '--tenant', 'tn_nope'], { REDIS_URL: redis.url });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No tenant tn_nope');

    const missing = await runMailq(['tenant', 'create'], { REDIS_URL: redis.url });
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain('--name');

    const badUrl = await runMailq(['tenant', 'create', '--name', 'x'], { REDIS_URL: 'localhost:6379' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toContain('REDIS_URL');
  });
});
