import { redisCommand } from './redis-command';
import { waitUntil } from './wait-until';

/** `field:value` lines of an INFO / CLUSTER INFO reply, as a map. */
function parseInfo(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of String(reply).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** One line describing whether a node is usable yet; `undefined` when it is. */
async function nodeProblem(
  port: number,
  password: string | undefined,
  total: number,
): Promise<string | undefined> {
  try {
    const cluster = parseInfo(await redisCommand(port, password, 'CLUSTER', 'INFO'));
    const state = cluster.get('cluster_state');
    const known = Number(cluster.get('cluster_known_nodes'));
    if (state !== 'ok') return `${port}: cluster_state:${state ?? '?'}`;
    if (known !== total) return `${port}: knows ${known}/${total} nodes`;
    const replication = parseInfo(await redisCommand(port, password, 'INFO', 'replication'));
    const link = replication.get('master_link_status');
    if (replication.get('role') === 'slave' && link !== 'up')
      return `${port}: master_link_status:${link ?? '?'}`;
    return undefined;
  } catch (error) {
    return `${port}: ${(error as Error).message}`;
  }
}

/**
 * Waits until every node reports `cluster_state:ok`, knows all the other nodes,
 * and every replica's link to its master is up. Before that, clients may get
 * CLUSTERDOWN errors or a slot map without replicas, which makes tests flaky.
 */
export async function waitForClusterReady(
  ports: number[],
  password: string | undefined,
  timeoutMs: number,
): Promise<void> {
  let problems: string[] = [];
  try {
    await waitUntil(
      async () => {
        const results = await Promise.all(ports.map((port) => nodeProblem(port, password, ports.length)));
        problems = results.filter((problem): problem is string => problem !== undefined);
        return problems.length === 0;
      },
      { timeoutMs, intervalMs: 200, message: `redis cluster not ready within ${timeoutMs} ms` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; still waiting on: ${problems.join('; ')}`, {
      cause: error,
    });
  }
}
