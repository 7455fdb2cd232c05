import { QUEUES, partitionPrefix } from '@mailq/queues';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stages } from './support/dockerfile';
import { fieldProblems, loadManifests, schemaProblems, type Manifest } from './support/kubernetes';
import { cliCommands, envProblems, mailqCommands, type MailqCommand } from './support/mailq-apps';
import { asArray, asRecord, at, isRecord, readRepoFile } from './support/repo';

/** Component → the image it runs and the mailq command. */
const COMPONENTS: Record<string, { image: string; command: string; portVar: string; hostVar?: string }> = {
  api: { image: 'mail-queue-api', command: 'serve', portVar: 'PORT', hostVar: 'HOST' },
  relay: { image: 'mail-queue-api', command: 'relay', portVar: 'RELAY_PORT', hostVar: 'RELAY_HOST' },
  worker: { image: 'mail-queue-worker', command: 'worker', portVar: 'WORKER_HEALTH_PORT' },
};

/** `mailq serve` and `mailq relay` exit at most 15 s after SIGTERM (apps/cli/src/commands). */
const HTTP_SHUTDOWN_S = 15;

let commands: Map<string, MailqCommand>;
beforeAll(async () => {
  commands = await mailqCommands();
});

function find(manifests: Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.doc['kind'] === kind && at(m.doc, 'metadata', 'name') === name);
}

function stringMap(value: unknown): Record<string, string> {
  return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The uid the images run as (their last USER), which runAsUser must repeat. */
function imageUid(): number {
  const final = stages(readRepoFile('infra', 'docker', 'worker.Dockerfile')).at(-1);
  const user = final?.instructions.filter((i) => i.keyword === 'USER').at(-1);
  return Number(user?.args.split(':')[0]);
}

/** What one container sees: envFrom sources, then `env` (values and the example Secrets' keys). */
function effectiveEnv(manifests: Manifest[], container: Record<string, unknown>, where: string) {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  for (const source of asArray(container['envFrom'] ?? [], `${where} envFrom`)) {
    const configMap = at(source, 'configMapRef', 'name');
    const secret = at(source, 'secretRef', 'name');
    const found = configMap
      ? find(manifests, 'ConfigMap', String(configMap))
      : find(manifests, 'Secret', String(secret));
    if (!found) problems.push(`${where}: envFrom ${String(configMap ?? secret)} is not defined`);
    Object.assign(env, stringMap(found?.doc[configMap ? 'data' : 'stringData']));
  }
  for (const entry of asArray(container['env'] ?? [], `${where} env`)) {
    const name = String(at(entry, 'name'));
    const ref = at(entry, 'valueFrom', 'secretKeyRef');
    if (!isRecord(ref)) {
      env[name] = String(at(entry, 'value'));
      continue;
    }
    const secret = find(manifests, 'Secret', String(ref['name']));
    const value = stringMap(secret?.doc['stringData'])[String(ref['key'])];
    if (value !== undefined) env[name] = value;
    else if (ref['optional'] !== true) problems.push(`${where}: ${name} refers to a missing secret key`);
  }
  return { env, problems };
}

/** Everything wrong with the manifests under infra/k8s; empty when they are right. */
async function kubernetesProblems(manifests: Manifest[]): Promise<string[]> {
  const problems: string[] = [];
  for (const manifest of manifests) problems.push(...(await schemaProblems(manifest)));
  problems.push(...fieldProblems(manifests));
  const dispatched = cliCommands();

  for (const { doc, where } of manifests) {
    const labels = stringMap(at(doc, 'metadata', 'labels'));
    if (labels['app.kubernetes.io/name'] !== 'mail-queue' || !labels['app.kubernetes.io/component']) {
      problems.push(
        `${where}: labels app.kubernetes.io/name=mail-queue and app.kubernetes.io/component are required`,
      );
    }
  }

  for (const [component, expected] of Object.entries(COMPONENTS)) {
    const name = `mail-queue-${component}`;
    const deployment = find(manifests, 'Deployment', name);
    if (!deployment) {
      problems.push(`no Deployment ${name}`);
      continue;
    }
    const where = deployment.where;
    const spec = asRecord(deployment.doc['spec'], where);
    const selector = stringMap(at(spec, 'selector', 'matchLabels'));
    const podLabels = stringMap(at(spec, 'template', 'metadata', 'labels'));
    if (!selects(selector, podLabels)) problems.push(`${where}: the selector does not match the pod labels`);
    if (
      podLabels['app.kubernetes.io/component'] !== component ||
      selector['app.kubernetes.io/component'] !== component
    ) {
      problems.push(`${where}: pods and selector must carry app.kubernetes.io/component=${component}`);
    }
    const budget = find(manifests, 'PodDisruptionBudget', name);
    if (!budget) problems.push(`no PodDisruptionBudget ${name}`);
    else if (!selects(stringMap(at(budget.doc, 'spec', 'selector', 'matchLabels')), podLabels)) {
      problems.push(`${budget.where}: its selector does not match the pods of ${name}`);
    }
    for (const other of manifests.filter((m) => m.doc['kind'] === 'Deployment' && m !== deployment)) {
      const otherPods = stringMap(at(other.doc, 'spec', 'template', 'metadata', 'labels'));
      if (selects(selector, otherPods)) problems.push(`${where}: its selector also matches ${other.where}`);
      if (budget && selects(stringMap(at(budget.doc, 'spec', 'selector', 'matchLabels')), otherPods)) {
        problems.push(`${budget.where}: also selects the pods of ${other.where}`);
      }
    }

    const pod = asRecord(at(spec, 'template', 'spec'), where);
    const containers = asArray(pod['containers'], `${where} containers`).map((c) => asRecord(c, where));
    const container = containers[0];
    if (containers.length !== 1 || !container) {
      problems.push(`${where}: expected one container`);
      continue;
    }
    const image = String(container['image']);
    if (!new RegExp(`/${expected.image}:[\\w.-]+$`).test(image) || image.endsWith(':latest')) {
      problems.push(`${where}: image ${image} is not a tagged ${expected.image}`);
    }
    const args = asArray(container['args'] ?? [], where).map(String);
    if (JSON.stringify(args) !== JSON.stringify([expected.command]) || !dispatched.has(expected.command)) {
      problems.push(
        `${where}: args ${JSON.stringify(args)} must be ["${expected.command}"], a mailq command`,
      );
    }

    const { env, problems: envSourceProblems } = effectiveEnv(manifests, container, where);
    problems.push(...envSourceProblems);
    const command = commands.get(expected.command);
    if (command) problems.push(...envProblems(command, env).map((p) => `${where}: ${p}`));
    if (expected.hostVar && env[expected.hostVar] !== '0.0.0.0') {
      problems.push(`${where}: ${expected.hostVar} must be 0.0.0.0 in a pod`);
    }
    const ports = asArray(container['ports'] ?? [], where).map((p) => asRecord(p, where));
    const portOf = (ref: unknown) => ports.find((p) => p['name'] === ref || p['containerPort'] === ref);
    for (const [probe, path] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      const get = at(container, probe, 'httpGet');
      if (at(get, 'path') !== path) problems.push(`${where}: ${probe} must GET ${path}`);
      const port = portOf(at(get, 'port'));
      if (!port) problems.push(`${where}: ${probe} probes a port the container does not declare`);
      else if (String(port['containerPort']) !== env[expected.portVar]) {
        problems.push(
          `${where}: ${probe} probes ${String(port['containerPort'])}, the process listens on ${expected.portVar}=${env[expected.portVar]}`,
        );
      }
    }
    const scrapePort = at(spec, 'template', 'metadata', 'annotations', 'prometheus.io/port');
    if (scrapePort !== undefined && String(scrapePort) !== env[expected.portVar]) {
      problems.push(
        `${where}: Prometheus would scrape port ${String(scrapePort)}, /metrics is on ${env[expected.portVar]}`,
      );
    }
    const preStop = asArray(at(container, 'lifecycle', 'preStop', 'exec', 'command') ?? [], where).map(
      String,
    );
    const preStopS = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const shutdownS =
      expected.command === 'worker'
        ? Number(env['SHUTDOWN_TIMEOUT_MS'] ?? 30_000) / 1000 + 5
        : HTTP_SHUTDOWN_S;
    const grace = Number(pod['terminationGracePeriodSeconds'] ?? 30);
    if (grace <= preStopS + shutdownS) {
      problems.push(
        `${where}: terminationGracePeriodSeconds ${grace} must exceed preStop ${preStopS}s + shutdown ${shutdownS}s`,
      );
    }
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (at(container, 'resources', kind, resource) === undefined) {
          problems.push(`${where}: no ${kind}.${resource}`);
        }
      }
    }
    if (
      at(pod, 'securityContext', 'runAsNonRoot') !== true ||
      at(pod, 'securityContext', 'runAsUser') !== imageUid()
    ) {
      problems.push(`${where}: must run as non-root uid ${imageUid()} (the images' USER)`);
    }
    if (at(container, 'securityContext', 'readOnlyRootFilesystem') === true) {
      const tmp = asArray(container['volumeMounts'] ?? [], where).find((m) => at(m, 'mountPath') === '/tmp');
      const volume = asArray(pod['volumes'] ?? [], where).find((v) => at(v, 'name') === at(tmp, 'name'));
      if (!tmp || !isRecord(at(volume, 'emptyDir')))
        problems.push(`${where}: read-only root without an emptyDir /tmp (tsx's cache)`);
    }
    if (component !== 'worker') {
      const service = find(manifests, 'Service', name);
      if (!service) problems.push(`no Service ${name}`);
      else {
        if (JSON.stringify(stringMap(at(service.doc, 'spec', 'selector'))) !== JSON.stringify(selector)) {
          problems.push(`${service.where}: its selector is not the pods' of ${name}`);
        }
        for (const port of asArray(at(service.doc, 'spec', 'ports') ?? [], service.where)) {
          if (!portOf(at(port, 'targetPort')))
            problems.push(`${service.where}: targetPort is not a container port`);
        }
      }
    } else if (spec['replicas'] !== undefined) {
      problems.push(`${where}: replicas belongs to the autoscaler (KEDA or the HPA); leave it out`);
    }
  }
  problems.push(...autoscalingProblems(manifests));
  return problems;
}

/** The KEDA ScaledObject (queue depth) and the HPA fallback (CPU) for mail-queue-worker. */
function autoscalingProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const config = stringMap(find(manifests, 'ConfigMap', 'mail-queue-config')?.doc['data']);
  const scaled = find(manifests, 'ScaledObject', 'mail-queue-worker');
  const hpa = find(manifests, 'HorizontalPodAutoscaler', 'mail-queue-worker');
  if (!scaled || !hpa) return ['no ScaledObject and HorizontalPodAutoscaler mail-queue-worker'];
  for (const [m, target] of [
    [scaled, at(scaled.doc, 'spec', 'scaleTargetRef')],
    [hpa, at(hpa.doc, 'spec', 'scaleTargetRef')],
  ] as const) {
    if (at(target, 'name') !== 'mail-queue-worker' || at(target, 'kind') !== 'Deployment') {
      problems.push(`${m.where}: must scale the Deployment mail-queue-worker`);
    }
    if (dirname(m.file) === 'infra/k8s/app' || dirname(scaled.file) === dirname(hpa.file)) {
      problems.push(
        `${m.where}: KEDA and the HPA must sit apart from each other and from app/ (apply one of them)`,
      );
    }
  }
  if (
    hpa.doc['apiVersion'] !== 'autoscaling/v2' ||
    at(hpa.doc, 'spec', 'metrics', 0, 'resource', 'name') !== 'cpu'
  ) {
    problems.push(`${hpa.where}: the fallback is an autoscaling/v2 HPA on CPU`);
  }
  const min = Number(at(scaled.doc, 'spec', 'minReplicaCount') ?? 0);
  if (!(min >= 1))
    problems.push(`${scaled.where}: minReplicaCount must be at least 1 (workers promote delayed jobs)`);
  if (Number(at(scaled.doc, 'spec', 'maxReplicaCount')) < min) problems.push(`${scaled.where}: max < min`);

  const namespace = config['MAILQ_NAMESPACE'];
  const partitions = Number(config['QUEUE_PARTITIONS'] ?? 1);
  const wanted = Array.from(
    { length: partitions },
    (_, p) => `${partitionPrefix(namespace, p)}:${QUEUES.email.name}:wait`,
  );
  const triggers = asArray(at(scaled.doc, 'spec', 'triggers') ?? [], scaled.where);
  const listNames = triggers.map((t) => String(at(t, 'metadata', 'listName')));
  const missing = wanted.filter((name) => !listNames.includes(name));
  const extra = listNames.filter((name) => !wanted.includes(name));
  if (missing.length > 0 || extra.length > 0 || listNames.length !== wanted.length) {
    problems.push(
      `${scaled.where}: one trigger per email partition's wait list (QUEUE_PARTITIONS=${partitions}); ` +
        `missing ${missing.join(' ') || 'none'}, not a partition ${extra.join(' ') || 'none'}`,
    );
  }
  const cluster = config['REDIS_CLUSTER'] === 'true';
  for (const trigger of triggers) {
    const type = at(trigger, 'type');
    if (type !== (cluster ? 'redis-cluster' : 'redis')) {
      problems.push(
        `${scaled.where}: trigger type ${String(type)} does not fit REDIS_CLUSTER=${String(cluster)}`,
      );
    }
    const address = at(trigger, 'metadata', cluster ? 'addresses' : 'address');
    const nodes = cluster ? config['REDIS_CLUSTER_NODES'] : undefined;
    if (cluster && address !== nodes) {
      problems.push(
        `${scaled.where}: addresses ${String(address)} differ from REDIS_CLUSTER_NODES ${String(nodes)}`,
      );
    }
    if (Number(at(trigger, 'metadata', 'listLength')) <= 0)
      problems.push(`${scaled.where}: listLength must be > 0`);
    const auth = find(manifests, 'TriggerAuthentication', String(at(trigger, 'authenticationRef', 'name')));
    const refs = asArray(at(auth?.doc, 'spec', 'secretTargetRef') ?? [], scaled.where);
    const password = refs.find((r) => at(r, 'parameter') === 'password');
    const secret = find(manifests, 'Secret', String(at(password, 'name')));
    if (!secret || stringMap(secret.doc['stringData'])[String(at(password, 'key'))] === undefined) {
      problems.push(`${scaled.where}: its TriggerAuthentication does not reach the Redis password Secret`);
    }
  }
  return problems;
}

describe('infra/k8s', () => {
  const manifests = loadManifests();

  it('validates against the Kubernetes and KEDA schemas, and the objects fit the apps and each other', async () => {
    expect(await kubernetesProblems(manifests)).toEqual([]);
  });

  it('names the objects and splits the autoscalers as documented', () => {
    const names = manifests.map((m) => `${String(m.doc['kind'])}/${String(at(m.doc, 'metadata', 'name'))}`);
    expect(names.sort()).toEqual(
      [
        'ConfigMap/mail-queue-config',
        'Deployment/mail-queue-api',
        'Deployment/mail-queue-relay',
        'Deployment/mail-queue-worker',
        'HorizontalPodAutoscaler/mail-queue-worker',
        'PodDisruptionBudget/mail-queue-api',
        'PodDisruptionBudget/mail-queue-relay',
        'PodDisruptionBudget/mail-queue-worker',
        'ScaledObject/mail-queue-worker',
        'Secret/mail-queue-redis',
        'Secret/mail-queue-secrets',
        'Service/mail-queue-api',
        'Service/mail-queue-relay',
        'TriggerAuthentication/mail-queue-redis',
      ].sort(),
    );
    expect(readRepoFile('infra', 'k8s', 'hpa', 'worker-hpa.yaml')).toContain(
      'Use instead of KEDA when KEDA is not installed',
    );
  });

  it('fails the checks when a manifest is broken', async () => {
    const edit = (file: string, from: string | RegExp, to: string): Manifest[] => {
      const mutated = manifests.map((m) => ({ ...m, doc: structuredClone(m.doc) }));
      const text = JSON.stringify(mutated.filter((m) => m.file === file).map((m) => m.doc));
      const changed = JSON.parse(text.replace(from, to)) as Array<Record<string, unknown>>;
      expect(JSON.stringify(changed), `${file}: ${String(from)}`).not.toBe(text);
      let i = 0;
      return mutated.map((m) => (m.file === file ? { ...m, doc: changed[i++] ?? m.doc } : m));
    };
    const broken: Array<[string, Manifest[]]> = [
      ['misspelt field', edit('infra/k8s/app/worker.yaml', '"livenessProbe"', '"livenesProbe"')],
      ['wrong type', edit('infra/k8s/app/api.yaml', '"containerPort":3000', '"containerPort":"3000"')],
      [
        'liveness path',
        edit('infra/k8s/app/api.yaml', /("livenessProbe":\{"httpGet":\{"path":)"\/healthz"/, '$1"/health"'),
      ],
      ['probe port', edit('infra/k8s/app/worker.yaml', '"value":"3002"', '"value":"3003"')],
      [
        'PDB selector',
        edit(
          'infra/k8s/app/relay.yaml',
          /("maxUnavailable":1,"selector":\{"matchLabels":\{[^}]*component":)"relay"/,
          '$1"relays"',
        ),
      ],
      ['unknown env name', edit('infra/k8s/app/worker.yaml', '"DELIVERY_MODE"', '"DELIVERY_MOD"')],
      [
        'bad env value',
        edit('infra/k8s/app/config.yaml', '"QUEUE_PARTITIONS":"12"', '"QUEUE_PARTITIONS":"100"'),
      ],
      [
        'short grace period',
        edit(
          'infra/k8s/app/worker.yaml',
          '"terminationGracePeriodSeconds":60',
          '"terminationGracePeriodSeconds":30',
        ),
      ],
      [
        'missing partition trigger',
        edit('infra/k8s/keda/worker-scaledobject.yaml', '{mail-queue-p11}', '{mail-queue-p12}'),
      ],
      [
        'scale to zero',
        edit('infra/k8s/keda/worker-scaledobject.yaml', '"minReplicaCount":2', '"minReplicaCount":0'),
      ],
      ['wrong command', edit('infra/k8s/app/relay.yaml', '"args":["relay"]', '"args":["serve"]')],
      [
        'no memory limit',
        edit('infra/k8s/app/api.yaml', /"limits":\{"cpu":"1","memory":"512Mi"\}/, '"limits":{"cpu":"1"}'),
      ],
    ];
    for (const [what, mutated] of broken) {
      expect(await kubernetesProblems(mutated), what).not.toEqual([]);
    }
  });
});
