import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../infra/redis/cluster.sh', import.meta.url));
const DATA = fileURLToPath(new URL('../infra/redis/data/', import.meta.url));

// Six consecutive free ports (and their cluster-bus ports, +10000) below 22000.
async function freeRange(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 12_000 + Math.floor(Math.random() * 1_500) * 6;
    const ports = Array.from({ length: 6 }, (_, i) => base + i);
    if ((await Promise.all(ports.flatMap((p) => [free(p), free(p + 10_000)]))).every(Boolean)) return base;
  }
  throw new Error('no free port range');
}

let base = 0;
afterAll(async () => {
  if (base) {
    await run(SCRIPT, ['down'], { env: { ...process.env, BASE_PORT: String(base) } }).catch(() => undefined);
    for (let i = 0; i < 6; i++) rmSync(`${DATA}${base + i}`, { recursive: true, force: true });
  }
});

describe('infra/redis/cluster.sh', () => {
  it('brings up the seed guide’s six-node cluster and reports its health as /readyz checks it', async () => {
    base = await freeRange();
    const env = { ...process.env, BASE_PORT: String(base), REDIS_PASSWORD: 'local-secret' };
    const up = await run(SCRIPT, ['up'], { env, timeout: 60_000 });
    expect(up.stdout).toContain('cluster_state=ok slots_assigned=16384 slots_ok=16384 known_nodes=6');
    expect(up.stdout).toContain(`REDIS_CLUSTER_NODES=127.0.0.1:${base},`);
    const health = await run(SCRIPT, ['health'], { env });
    expect(health.stdout).toContain('cluster_state=ok');
    await run(SCRIPT, ['down'], { env });
    await expect(run(SCRIPT, ['health'], { env })).rejects.toThrow();
  });
});
