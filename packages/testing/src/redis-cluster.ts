import { execFile } from 'node:child_process';
import { isPortFree } from './free-port';
import { trackChild } from './exit-cleanup';
import { redisCommand } from './redis-command';
import { waitForClusterReady } from './redis-cluster-ready';
import { launchRedisServer, type RedisServerHandle } from './redis-server';

/** Address of one cluster node. */
export interface RedisNodeAddress {
  host: '127.0.0.1';
  port: number;
}

/** Options for {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Sets `requirepass` and `masterauth` on every node. */
  password?: string;
}

/** A running 3 masters + 3 replicas Redis Cluster started by the harness. */
export interface RedisClusterHandle {
  /** All six nodes, in creation order (the first three start as masters). */
  readonly nodes: RedisNodeAddress[];
  readonly password?: string;
  /** `127.0.0.1:p1,127.0.0.1:p2,...` for env vars such as REDIS_CLUSTER_NODES. */
  readonly nodesEnv: string;
  /** Nodes that are running and currently report the master role (changes after failover). */
  masters(): Promise<RedisNodeAddress[]>;
  /** Graceful stop of one node (SIGTERM, then SIGKILL), e.g. to trigger a failover. */
  stopNode(port: number): Promise<void>;
  /** Crash of one node (SIGKILL, like kill -9): no shutdown, no last sync to its replica. */
  killNode(port: number): Promise<void>;
  /** Starts a stopped node again with its own dir, so it rejoins the cluster. */
  restartNode(port: number): Promise<void>;
  /** Stops all nodes and removes their data dirs. Idempotent. */
  destroy(): Promise<void>;
}

const CLUSTER_READY_TIMEOUT_MS = 30_000;
const NODE_ATTEMPTS = 3;

/**
 * A port whose cluster bus port (+10000) is free too. Both are drawn below the
 * Linux ephemeral range (32768+), so outgoing connections cannot squat them and
 * the bus port never overflows 65535.
 */
async function clusterPort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 15_000 + Math.floor(Math.random() * 7_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    // Claimed before the async checks so parallel callers never pick the same port.
    taken.add(port).add(port + 10_000);
    if ((await isPortFree(port)) && (await isPortFree(port + 10_000))) return port;
  }
  throw new Error('startRedisCluster: no free port pair (port, port+10000) found');
}

async function startNode(taken: Set<number>, password: string | undefined): Promise<RedisServerHandle> {
  for (let attempt = 1; ; attempt++) {
    const port = await clusterPort(taken);
    const extraArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`];
    // Short node timeout so failover tests finish in seconds; validity factor 0
    // lets any replica take over however long it was disconnected.
    extraArgs.push('--cluster-node-timeout', '2000', '--cluster-replica-validity-factor', '0');
    // Masters otherwise wait 5 s for more replicas before the initial full sync.
    extraArgs.push('--repl-diskless-sync-delay', '0');
    try {
      return await launchRedisServer({ port, password, appendonly: true, extraArgs });
    } catch (error) {
      // Another process may bind the port between our check and redis' bind.
      if (attempt >= NODE_ATTEMPTS || !/address already in use/i.test(String(error))) throw error;
    }
  }
}

function createCluster(ports: number[], password: string | undefined): Promise<void> {
  const args = ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`)];
  args.push('--cluster-replicas', '1', '--cluster-yes');
  // REDISCLI_AUTH instead of `-a`: same effect without the insecure-password warning.
  const env = password ? { ...process.env, REDISCLI_AUTH: password } : process.env;
  return new Promise((resolve, reject) => {
    const child = execFile('redis-cli', args, { env, timeout: 20_000 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      reject(new Error(`redis-cli --cluster create failed: ${error.message}\n${stdout}\n${stderr}`));
    });
    trackChild(child);
  });
}

/**
 * Starts six real redis-server processes (cluster mode, AOF on, own temp dir
 * each), joins them with `redis-cli --cluster create` as 3 masters + 3 replicas,
 * and resolves once every node sees a healthy cluster. Always `destroy()` it.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const { password } = options;
  const taken = new Set<number>();
  const started = await Promise.allSettled(Array.from({ length: 6 }, () => startNode(taken, password)));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const destroy = async (): Promise<void> => {
    // SIGKILL first: the data is deleted anyway, and a gracefully stopping master
    // would wait up to shutdown-timeout (10 s) for replicas that are stopping too.
    await Promise.all(servers.map((server) => server.kill()));
    await Promise.all(servers.map((server) => server.destroy()));
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const ports = servers.map((server) => server.port);
    await createCluster(ports, password);
    await waitForClusterReady(ports, password, CLUSTER_READY_TIMEOUT_MS);
  } catch (error) {
    await destroy();
    throw error;
  }

  const byPort = (port: number): RedisServerHandle => {
    const server = servers.find((candidate) => candidate.port === port);
    if (!server) throw new Error(`redis cluster has no node on port ${port}`);
    return server;
  };
  const nodes = servers.map((server): RedisNodeAddress => ({ host: '127.0.0.1', port: server.port }));
  return {
    nodes,
    ...(password ? { password } : {}),
    nodesEnv: nodes.map((node) => `${node.host}:${node.port}`).join(','),
    async masters() {
      const roles = await Promise.all(
        servers.map(async (server) => {
          if (!server.isRunning()) return undefined;
          const role = await redisCommand(server.port, password, 'ROLE').catch(() => undefined);
          return Array.isArray(role) && role[0] === 'master' ? server.port : undefined;
        }),
      );
      return nodes.filter((node) => roles.includes(node.port));
    },
    stopNode: (port) => byPort(port).stop(),
    killNode: (port) => byPort(port).kill(),
    restartNode: (port) => byPort(port).restart(),
    destroy,
  };
}
