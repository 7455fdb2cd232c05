import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Script } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { envOf, execForm, lintDockerfile, stages } from './support/dockerfile';
import { cliCommands, isPlatformVariable, mailqCommands, type MailqCommand } from './support/mailq-apps';
import { readRepoFile, repoPath } from './support/repo';
import { productionClosure, workspaces } from './support/workspaces';

const run = promisify(execFile);

interface Image {
  file: string;
  /** The default command (CMD), run by compose and Kubernetes as well. */
  command: string;
  /** Every `mailq` command the image is meant to run. */
  commands: string[];
}

const IMAGES: Image[] = [
  { file: 'api.Dockerfile', command: 'serve', commands: ['serve', 'relay'] },
  { file: 'worker.Dockerfile', command: 'worker', commands: ['worker'] },
];

let commands: Map<string, MailqCommand>;
beforeAll(async () => {
  commands = await mailqCommands();
});

/** The workspaces whose sources the runtime stage must copy: @mailq/cli and what it depends on. */
function neededDirs(): string[] {
  return productionClosure('@mailq/cli')
    .map((w) => `${w.dir}/`)
    .sort();
}

/** Everything wrong with one of our Dockerfiles; empty when it is right. */
function dockerfileProblems(text: string, image: Image): string[] {
  const problems = lintDockerfile(text).map((p) => `dockerfile-utils: ${p}`);
  const all = stages(text);
  const final = all.at(-1);
  if (!final || all.length < 2) return [...problems, 'not a multi-stage build'];
  for (const stage of all) {
    const [, tag] = stage.image.split(':');
    if (!tag || tag === 'latest') problems.push(`FROM ${stage.image}: pin a tag (never latest)`);
  }
  if (!/^node:20[\w.-]*-(?:bookworm-slim|alpine[\d.]*)$/.test(final.image)) {
    problems.push(`runtime base ${final.image} is not node:20 slim or alpine`);
  }
  const earlier = new Set(all.slice(0, -1).map((s) => s.name));
  const copiesFromBuild = final.instructions.some(
    (i) => i.keyword === 'COPY' && [...earlier].some((name) => name && i.args.includes(`--from=${name}`)),
  );
  if (!copiesFromBuild) problems.push('the runtime stage copies nothing from an earlier stage');
  const install = all
    .flatMap((s) => s.instructions)
    .find((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
  if (!install) problems.push('no `npm ci`');
  else {
    if (!/--omit=dev\b/.test(install.args)) problems.push('`npm ci` installs dev dependencies (--omit=dev)');
    if (!/--workspace[= ]@mailq\/cli\b/.test(install.args)) {
      problems.push('`npm ci` is not limited to the @mailq/cli workspace');
    }
  }
  if (final.instructions.some((i) => i.keyword === 'RUN' && /\bnpm (ci|install)\b/.test(i.args))) {
    problems.push('the runtime stage installs packages itself');
  }

  const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) problems.push('the runtime stage has no USER: it would run as root');
  else if (/^(root|0)(:|$)/.test(user.args.trim())) problems.push(`USER ${user.args} is root`);
  else if (!/^\d+(:\d+)?$/.test(user.args.trim())) {
    problems.push(`USER ${user.args}: use a numeric uid, so Kubernetes' runAsNonRoot can verify it`);
  }

  const entrypoint = final.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  const cmd = final.instructions.filter((i) => i.keyword === 'CMD').at(-1);
  const entry = entrypoint ? execForm(entrypoint.args) : null;
  if (JSON.stringify(entry) !== JSON.stringify(['node', 'apps/cli/bin/mailq.js'])) {
    problems.push(`ENTRYPOINT is not ["node", "apps/cli/bin/mailq.js"] in exec form: ${entrypoint?.args}`);
  }
  const args = cmd ? execForm(cmd.args) : null;
  if (JSON.stringify(args) !== JSON.stringify([image.command])) {
    problems.push(`CMD is not ["${image.command}"] in exec form: ${cmd?.args}`);
  }

  const healthcheck = final.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  if (!healthcheck) problems.push('no HEALTHCHECK');
  else if (!/\bCMD\s+\[/.test(healthcheck.args)) problems.push('HEALTHCHECK is not in exec form');

  const env = envOf(final);
  const known = new Set(image.commands.flatMap((c) => [...(commands.get(c)?.names ?? [])]));
  for (const name of env.keys()) {
    if (!known.has(name) && !isPlatformVariable(name)) {
      problems.push(`ENV ${name} is read by none of mailq ${image.commands.join(', ')}`);
    }
  }
  const exposed = final.instructions
    .filter((i) => i.keyword === 'EXPOSE')
    .flatMap((i) => i.args.split(/\s+/))
    .map((port) => port.replace(/\/tcp$/, ''))
    .sort();
  const portValues = [...env]
    .filter(([name]) => /PORT$/.test(name))
    .map(([, value]) => value)
    .sort();
  if (JSON.stringify(exposed) !== JSON.stringify(portValues)) {
    problems.push(`EXPOSE ${exposed.join(' ')} differs from the ports in ENV (${portValues.join(' ')})`);
  }

  const copied = final.instructions
    .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
    .map((i) => i.args.split(/\s+/)[0] ?? '')
    .sort();
  if (JSON.stringify(copied) !== JSON.stringify(neededDirs())) {
    problems.push(`the runtime stage copies ${copied.join(' ')}; @mailq/cli needs ${neededDirs().join(' ')}`);
  }
  return problems;
}

/** The node -e script of the image's HEALTHCHECK. */
function healthScript(text: string): string {
  const healthcheck = stages(text)
    .at(-1)
    ?.instructions.find((i) => i.keyword === 'HEALTHCHECK');
  const form = execForm(healthcheck?.args.replace(/^.*?\bCMD\s+/, '') ?? '');
  if (!form || form[0] !== 'node' || form[1] !== '-e' || form.length !== 3) {
    throw new Error(`HEALTHCHECK is not ["node", "-e", <script>]: ${healthcheck?.args}`);
  }
  return form[2] ?? '';
}

/** Runs the HEALTHCHECK script as Docker would, against a server answering /healthz with `status`. */
async function runHealthcheck(script: string, env: Record<string, string>, status: number): Promise<number> {
  const server = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = String((server.address() as AddressInfo).port);
  try {
    const filled = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'LISTENING' ? port : v]));
    await run(process.execPath, ['-e', script], { env: { ...process.env, ...filled }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  } finally {
    server.close();
  }
}

describe.each(IMAGES)('infra/docker/$file', (image) => {
  const text = readRepoFile('infra', 'docker', image.file);

  it('passes dockerfile-utils and the image rules (multi-stage, prod deps only, non-root, mailq entrypoint)', () => {
    expect(dockerfileProblems(text, image)).toEqual([]);
  });

  it('runs only commands the mailq CLI dispatches', () => {
    const dispatched = cliCommands();
    for (const command of image.commands) expect(dispatched, `mailq ${command}`).toContain(command);
  });

  it('has a HEALTHCHECK that passes on 200 from /healthz and fails otherwise', async () => {
    const script = healthScript(text);
    expect(() => new Script(script)).not.toThrow();
    const env = Object.fromEntries(envOf(stages(text).at(-1) ?? { image: '', name: null, instructions: [] }));
    const ports = Object.keys(env).filter((name) => /PORT$/.test(name));
    // Each port the image may listen on, alone: `mailq serve` answers on PORT, `mailq relay` on RELAY_PORT.
    for (const listening of ports) {
      const others = Object.fromEntries(ports.map((p) => [p, p === listening ? 'LISTENING' : '1']));
      expect(await runHealthcheck(script, others, 200), `healthy on ${listening}`).toBe(0);
      expect(await runHealthcheck(script, others, 503), `unhealthy on ${listening}`).not.toBe(0);
    }
  });

  it('fails the checks when the file is broken', () => {
    const broken: Array<[string, string]> = [
      ['no USER', text.replace(/^USER .*$/m, '')],
      ['root USER', text.replace(/^USER .*$/m, 'USER root')],
      ['dev dependencies', text.replace('--omit=dev ', '')],
      ['shell-form CMD', text.replace(/^CMD .*$/m, `CMD node apps/cli/bin/mailq.js ${image.command}`)],
      ['another command', text.replace(/^CMD .*$/m, 'CMD ["dev"]')],
      ['single stage', text.replace(/^FROM \$\{NODE_IMAGE\} AS runtime$/m, '').replace(/--from=deps /, '')],
      ['typo in an instruction', text.replace(/^WORKDIR /m, 'WORKDIRR ')],
      ['bad HEALTHCHECK flag', text.replace('--interval=15s', '--interval=15parsecs')],
      ['a workspace not copied', text.replace(/^COPY packages\/queues\/ .*$/m, '')],
      ['latest base image', text.replace('node:20-bookworm-slim', 'node:latest')],
    ];
    for (const [what, mutated] of broken) {
      expect(mutated, what).not.toBe(text);
      expect(dockerfileProblems(mutated, image), what).not.toEqual([]);
    }
  });
});

describe('the images and the repository', () => {
  it('run bin/mailq.js through tsx, a production dependency of @mailq/cli (no build step)', () => {
    expect(readRepoFile('apps', 'cli', 'bin', 'mailq.js')).toMatch(/from 'tsx\/esm\/api'/);
    expect(workspaces().get('@mailq/cli')?.dependencies).toHaveProperty('tsx');
  });

  it('build from a context whose .dockerignore leaves out local state', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const entry of ['**/node_modules', '**/.data', '.git']) expect(ignored).toContain(entry);
  });

  it('copy directories that exist', () => {
    for (const dir of neededDirs()) expect(existsSync(repoPath(dir)), dir).toBe(true);
  });
});
