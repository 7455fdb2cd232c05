import { freePort } from '@mailq/testing';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@mailq/contracts';
import { RedisEnv, redisTargetFromEnv } from './redis-config';
import { createRedis, waitForReady } from './redis-connection';

// Redis with TLS only (as ElastiCache with in-transit encryption), its
// certificate signed by a throwaway CA that REDIS_TLS_CA_FILE names.
let dir: string;
let port: number;
let server: ChildProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailq-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'redis.key',
    '-out',
    'redis.csr',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'redis.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    'redis.pem',
  );
  port = await freePort();
  server = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      join(dir, 'redis.pem'),
      '--tls-key-file',
      join(dir, 'redis.key'),
      '--tls-ca-cert-file',
      join(dir, 'ca.pem'),
      '--tls-auth-clients',
      'no',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
});

afterAll(() => {
  server?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const env = (vars: Record<string, string>) => parseConfig(RedisEnv, vars);

describe('Redis over TLS', () => {
  it('connects with REDIS_TLS=true and the CA from REDIS_TLS_CA_FILE', async () => {
    const { target } = redisTargetFromEnv(
      env({
        REDIS_URL: `redis://localhost:${port}`,
        REDIS_TLS: 'true',
        REDIS_TLS_CA_FILE: join(dir, 'ca.pem'),
      }),
    );
    expect(target).toMatchObject({ kind: 'single', tls: { ca: readFileSync(join(dir, 'ca.pem'), 'utf8') } });
    const redis = createRedis(target!, 'producer');
    try {
      await waitForReady(redis, 5_000);
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    const { target } = redisTargetFromEnv(env({ REDIS_URL: `redis://localhost:${port}`, REDIS_TLS: 'true' }));
    const redis = createRedis(target!, 'producer');
    redis.on('error', () => undefined);
    try {
      await expect(waitForReady(redis, 1_500)).rejects.toThrow(/not ready/);
    } finally {
      redis.disconnect();
    }
  });

  it('names REDIS_TLS_CA_FILE when it cannot be read', () => {
    const result = redisTargetFromEnv(
      env({ REDIS_URL: 'redis://x:1', REDIS_TLS_CA_FILE: join(dir, 'missing.pem') }),
    );
    expect(result.target).toBeNull();
    expect(result.error).toContain('REDIS_TLS_CA_FILE');
  });

  it('gives every cluster node TLS and keeps their host names for verification', () => {
    const { target } = redisTargetFromEnv(
      env({
        REDIS_CLUSTER: 'true',
        REDIS_CLUSTER_NODES: 'cfg.example.cache.amazonaws.com:6379',
        REDIS_TLS: 'true',
      }),
    );
    const cluster = createRedis(target!, 'worker') as Cluster;
    cluster.on('error', () => undefined);
    try {
      expect(cluster.options.redisOptions?.tls).toEqual({});
      const resolved = new Promise((resolve) =>
        cluster.options.dnsLookup?.('node-1.example', (_e, a) => resolve(a)),
      );
      return expect(resolved).resolves.toBe('node-1.example');
    } finally {
      cluster.disconnect();
    }
  });
});
