import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeSchemaProblems, environmentOf, interpolate, loadCompose } from './support/compose';
import { envProblems, mailqCommands, type MailqCommand } from './support/mailq-apps';
import { isRecord, readRepoFile, repoPath } from './support/repo';

const run = promisify(execFile);

/** What the images built from our Dockerfiles may run (the Dockerfile tests pin the same). */
const IMAGE_COMMANDS: Record<string, string[]> = {
  'infra/docker/api.Dockerfile': ['serve', 'relay'],
  'infra/docker/worker.Dockerfile': ['worker'],
};

/** Variables a user must set for optional parts (`--profile edge` needs RELAY_SECRET). */
const OPERATOR_ENV = { RELAY_SECRET: 'a'.repeat(64) };

/** `mailq serve` and `mailq relay` exit at most 15 s after SIGTERM (apps/cli/src/commands). */
const HTTP_SHUTDOWN_S = 15;

let commands: Map<string, MailqCommand>;
beforeAll(async () => {
  commands = await mailqCommands();
});

function seconds(duration: unknown): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(duration ?? ''));
  if (!match || (!match[1] && !match[2])) return 0;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** Directives of a redis.conf file, overridden by `--name value` arguments of the command. */
function redisSettings(conf: string, command: unknown): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of conf.split('\n')) {
    const match = /^\s*([a-z-]+)\s+(.+?)\s*$/.exec(line);
    if (match && !line.trim().startsWith('#')) settings.set(match[1] ?? '', match[2] ?? '');
  }
  const args = Array.isArray(command) ? command.map(String) : [];
  args.forEach((arg, i) => {
    if (arg.startsWith('--')) settings.set(arg.slice(2), args[i + 1] ?? '');
  });
  return settings;
}

/** Everything wrong with a compose file of infra/docker; empty when it is right. */
function composeProblems(text: string, file: string): string[] {
  const where = `infra/docker/${file}`;
  const dir = repoPath('infra', 'docker');
  let compose: Record<string, unknown>;
  try {
    compose = loadCompose(text, OPERATOR_ENV, where);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems = composeSchemaProblems(compose).map((p) => `compose-spec schema: ${p}`);
  const services = isRecord(compose['services']) ? compose['services'] : {};
  const volumes = isRecord(compose['volumes']) ? compose['volumes'] : {};
  const builtFrom = new Map<string, string>();
  for (const [name, value] of Object.entries(services)) {
    if (!isRecord(value)) continue;
    const build = value['build'];
    if (isRecord(build)) {
      const dockerfile = join(String(build['context']), String(build['dockerfile']));
      const relative = join('infra', 'docker', dockerfile);
      if (!existsSync(join(dir, dockerfile))) problems.push(`${name}: build file ${relative} does not exist`);
      builtFrom.set(name, relative);
      const image = String(value['image'] ?? '');
      for (const [other, otherValue] of Object.entries(services)) {
        if (other === name || !isRecord(otherValue) || otherValue['image'] !== image) continue;
        const otherBuild = otherValue['build'];
        if (isRecord(otherBuild) && JSON.stringify(otherBuild) !== JSON.stringify(build)) {
          problems.push(`${name} and ${other} build image ${image} from different Dockerfiles`);
        }
      }
    }
  }

  for (const [name, value] of Object.entries(services)) {
    if (!isRecord(value)) continue;
    const dependsOn = isRecord(value['depends_on']) ? value['depends_on'] : {};
    for (const [target, rule] of Object.entries(dependsOn)) {
      const other = services[target];
      if (!isRecord(other)) {
        problems.push(`${name} depends on ${target}, which is not a service`);
        continue;
      }
      const condition = isRecord(rule) ? rule['condition'] : undefined;
      const healthFromImage = builtFrom.has(target); // our images carry a HEALTHCHECK
      if (condition === 'service_healthy' && !isRecord(other['healthcheck']) && !healthFromImage) {
        problems.push(`${name} waits for ${target} to be healthy, but ${target} has no healthcheck`);
      }
      if (condition === 'service_completed_successfully' && other['restart'] !== 'no') {
        problems.push(`${name} waits for ${target} to complete, but ${target} restarts (restart: 'no')`);
      }
    }
    for (const volume of Array.isArray(value['volumes']) ? value['volumes'] : []) {
      const [source = ''] = String(volume).split(':');
      if (source.startsWith('.') || source.startsWith('/')) {
        if (!existsSync(join(dir, source))) problems.push(`${name}: mounts ${source}, which does not exist`);
      } else if (!(source in volumes)) {
        problems.push(`${name}: volume ${source} is not declared under volumes`);
      }
    }

    const image = String(value['image'] ?? '');
    if (image.startsWith('redis:')) {
      const confMount = (Array.isArray(value['volumes']) ? value['volumes'] : [])
        .map(String)
        .find((v) => v.endsWith('.conf:ro') || v.endsWith('.conf'));
      const conf = confMount ? readRepoFile('infra', 'docker', confMount.split(':')[0] ?? '') : '';
      const settings = redisSettings(conf, value['command']);
      const server = value['command'] === undefined || (value['command'] as unknown[])[0] === 'redis-server';
      if (server) {
        if (settings.get('maxmemory-policy') !== 'noeviction') problems.push(`${name}: not noeviction`);
        if (settings.get('appendonly') !== 'yes') problems.push(`${name}: AOF is off`);
        const port = settings.get('port') ?? '6379';
        const test = JSON.stringify(isRecord(value['healthcheck']) ? value['healthcheck']['test'] : '');
        if (port !== '6379' && !test.includes(`-p ${port}`)) {
          problems.push(`${name}: the healthcheck does not ask port ${port}`);
        }
        if (/^redis-\d+$/.test(name)) {
          if (settings.get('cluster-enabled') !== 'yes') problems.push(`${name}: cluster-enabled is not yes`);
          if (`redis-${port}` !== name) problems.push(`${name}: listens on ${port}`);
          if (settings.get('cluster-announce-hostname') !== name) {
            problems.push(
              `${name}: announces ${settings.get('cluster-announce-hostname')}, not its service name`,
            );
          }
        }
      }
    }

    const dockerfile = builtFrom.get(name);
    if (!dockerfile || !(dockerfile in IMAGE_COMMANDS)) continue;
    const args = Array.isArray(value['command']) ? value['command'].map(String) : [];
    const command = commands.get(args[0] ?? '');
    if (args.length !== 1 || !command || !IMAGE_COMMANDS[dockerfile]?.includes(command.command)) {
      problems.push(
        `${name}: command ${JSON.stringify(value['command'])} is not one the ${dockerfile} image runs`,
      );
      continue;
    }
    const env = environmentOf(value);
    problems.push(...envProblems(command, env).map((p) => `${name}: ${p}`));
    const listen: Record<string, [string, string]> = {
      serve: ['HOST', 'PORT'],
      relay: ['RELAY_HOST', 'RELAY_PORT'],
    };
    const [hostVar, portVar] = listen[command.command] ?? [];
    if (hostVar && portVar) {
      if (env[hostVar] !== '0.0.0.0') problems.push(`${name}: ${hostVar} must be 0.0.0.0 in a container`);
      for (const mapping of Array.isArray(value['ports']) ? value['ports'] : []) {
        const containerPort = String(mapping).split(':').at(-1);
        if (containerPort !== env[portVar])
          problems.push(`${name}: publishes ${containerPort}, listens on ${env[portVar]}`);
      }
    }
    const grace = seconds(value['stop_grace_period']);
    const needed =
      command.command === 'worker'
        ? Number(env['SHUTDOWN_TIMEOUT_MS'] ?? 30_000) / 1000 + 5
        : HTTP_SHUTDOWN_S;
    if (grace <= needed) problems.push(`${name}: stop_grace_period ${grace}s must exceed ${needed}s`);
    const hosts: string[] = [];
    if (env['REDIS_URL']) hosts.push(new URL(env['REDIS_URL']).hostname);
    if (env['SMTP_URL']) hosts.push(new URL(env['SMTP_URL']).hostname);
    for (const node of (env['REDIS_CLUSTER_NODES'] ?? '').split(',').filter(Boolean)) {
      const [host = '', port] = node.split(':');
      hosts.push(host);
      if (host !== `redis-${port}`) problems.push(`${name}: cluster node ${node} is not redis-<port>`);
    }
    for (const host of hosts) {
      if (!(host in services)) problems.push(`${name}: ${host} is not a service of ${file}`);
    }
  }
  return problems;
}

describe.each(['compose.yml', 'compose.cluster.yml'])('infra/docker/%s', (file) => {
  const text = readRepoFile('infra', 'docker', file);

  it('follows the Compose Specification schema, and its services fit together', () => {
    expect(composeProblems(text, file)).toEqual([]);
  });

  it('fails the checks when the file is broken', () => {
    const broken: Array<[string, string]> = [
      ['unknown service key', text.replace('    stop_grace_period: 45s', '    stop_grace_periode: 45s')],
      ['bad duration', text.replace('stop_grace_period: 20s', 'stop_grace_period: twenty')],
      ['short grace period', text.replace('stop_grace_period: 45s', 'stop_grace_period: 30s')],
      ['typo in a variable', text.replace('DELIVERY_MODE: smtp', 'DELIVERY_MOD: smtp')],
      ['bad value', text.replace("WORKER_HEALTH_PORT: '3002'", 'WORKER_HEALTH_PORT: health')],
      ['unknown command', text.replace("command: ['worker']", "command: ['workers']")],
      ['wrong dependency', text.replace(/^ {6}redis(-cluster-create)?:$/m, '      redis-primary:')],
      ['bad YAML', text.replace('services:', 'services:\n  - oops')],
    ];
    for (const [what, mutated] of broken) {
      expect(mutated, what).not.toBe(text);
      expect(composeProblems(mutated, file), what).not.toEqual([]);
    }
  });
});

describe('infra/docker/compose.yml', () => {
  const text = readRepoFile('infra', 'docker', 'compose.yml');

  it('runs one Redis with AOF and noeviction, the API (mailq serve), a worker, and the relay for --profile edge', () => {
    const compose = loadCompose(text, OPERATOR_ENV, 'compose.yml');
    const services = compose['services'] as Record<string, Record<string, unknown>>;
    expect(services['api']?.['command']).toEqual(['serve']);
    expect(services['worker']?.['command']).toEqual(['worker']);
    expect(services['relay']?.['command']).toEqual(['relay']);
    expect(services['relay']?.['profiles']).toEqual(['edge']);
    expect(problemsWithout(text, '--maxmemory-policy', 'compose.yml')).toContain('redis: not noeviction');
  });
});

describe('infra/docker/compose.cluster.yml', () => {
  const text = readRepoFile('infra', 'docker', 'compose.cluster.yml');
  const compose = loadCompose(text, OPERATOR_ENV, 'compose.cluster.yml');
  const services = compose['services'] as Record<string, Record<string, unknown>>;
  const ports = [7000, 7001, 7002, 7003, 7004, 7005];

  it('runs the six nodes of infra/redis on ports 7000-7005 with their node-700x.conf', () => {
    for (const port of ports) {
      expect(services[`redis-${port}`]?.['volumes']).toContain(
        `../redis/node-${port}.conf:/usr/local/etc/redis/node.conf:ro`,
      );
      expect(services[`redis-${port}`]?.['command']).toContain('/usr/local/etc/redis/node.conf');
    }
    expect(Object.keys(services).filter((name) => /^redis-\d+$/.test(name))).toHaveLength(6);
  });

  it('creates the cluster once, with a script that parses and names every node', async () => {
    const create = services['redis-cluster-create'];
    expect(create?.['restart']).toBe('no');
    await run('sh', ['-n', repoPath('infra', 'docker', 'cluster-create.sh')]);
    const script = readRepoFile('infra', 'docker', 'cluster-create.sh');
    expect(/^PORTS="([\d ]+)"$/m.exec(script)?.[1]).toBe(ports.join(' '));
    expect(script).toContain('--cluster-replicas 1');
    for (const name of ['api', 'worker']) {
      expect(environmentOf(services[name] ?? {})['REDIS_CLUSTER']).toBe('true');
      expect(services[name]?.['depends_on']).toEqual({
        'redis-cluster-create': { condition: 'service_completed_successfully' },
      });
    }
  });

  it('catches a node whose config file is not its own', () => {
    const mutated = text.replace('../redis/node-7001.conf:', '../redis/node-7000.conf:');
    expect(composeProblems(mutated, 'compose.cluster.yml')).toContain('redis-7001: listens on 7000');
  });
});

/** The problems of `text` with the first line containing `marker` (and its value line) removed. */
function problemsWithout(text: string, marker: string, file: string): string[] {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(marker));
  lines.splice(index, 2);
  return composeProblems(lines.join('\n'), file);
}

describe('compose interpolation', () => {
  it('follows docker compose: defaults, required variables and $$', () => {
    expect(interpolate('${A:-x} ${B-y} ${C} $$D', { B: '' })).toBe('x   $D');
    expect(() => interpolate('${A:?set A}', {})).toThrow('set A');
  });
});
