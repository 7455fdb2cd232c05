import { IngestEnv, loadIngestConfig } from '@mailq/ingest';
import { WorkerEnv, loadWorkerConfig } from '@mailq/worker';
import { readRepoFile } from './repo';

/** What a deployment artefact may run: a `mailq` command and the config schema it parses. */
export interface MailqCommand {
  command: string;
  /** Every variable the command's config schema reads. */
  names: ReadonlySet<string>;
  /** The command's own loader: throws (ConfigError) on a bad or missing value, as at start. */
  load(env: Record<string, string>): void;
}

/** Variables a process may carry that are not Mail Queue settings (DESIGN §2: standard OTEL_*). */
export function isPlatformVariable(name: string): boolean {
  return /^OTEL_/.test(name) || ['NODE_ENV', 'NODE_OPTIONS', 'TZ'].includes(name);
}

/** The commands apps/cli/src/main.ts dispatches (`case 'serve':` …). */
export function cliCommands(): Set<string> {
  const main = readRepoFile('apps', 'cli', 'src', 'main.ts');
  return new Set([...main.matchAll(/case '([a-z]+(?: [a-z]+)?)':/g)].map((m) => m[1] ?? ''));
}

interface ObjectSchemaLike {
  entries: Record<string, unknown>;
}

function isObjectSchema(value: unknown): value is ObjectSchemaLike {
  return (
    typeof value === 'object' && value !== null && 'entries' in value && typeof value.entries === 'object'
  );
}

/**
 * The long-running commands the artefacts run, with their config schemas read
 * from the apps themselves, so a renamed or removed variable fails here.
 * The relay service's schema is looked up at run time: `mailq relay` must
 * export `RelayServiceEnv` and `loadRelayServiceConfig` from @mailq/relay.
 */
export async function mailqCommands(): Promise<Map<string, MailqCommand>> {
  const relay: Record<string, unknown> = await import('@mailq/relay');
  const relaySchema = relay['RelayServiceEnv'];
  const loadRelay = relay['loadRelayServiceConfig'];
  if (!isObjectSchema(relaySchema) || typeof loadRelay !== 'function') {
    throw new Error(
      '@mailq/relay exports no RelayServiceEnv / loadRelayServiceConfig: `mailq relay` has no config',
    );
  }
  const commands: MailqCommand[] = [
    {
      command: 'serve',
      names: new Set(Object.keys(IngestEnv.entries)),
      load: (env) => loadIngestConfig(env),
    },
    {
      command: 'relay',
      names: new Set(Object.keys(relaySchema.entries)),
      load: (env) => void loadRelay(env),
    },
    {
      command: 'worker',
      names: new Set(Object.keys(WorkerEnv.entries)),
      load: (env) => loadWorkerConfig(env),
    },
  ];
  return new Map(commands.map((c) => [c.command, c]));
}

/**
 * Problems of one process's environment: names its command does not read
 * (a typo is silently ignored at run time) and values its loader refuses.
 */
export function envProblems(command: MailqCommand, env: Record<string, string>): string[] {
  const problems = Object.keys(env)
    .filter((name) => !command.names.has(name) && !isPlatformVariable(name))
    .map((name) => `${name} is not read by mailq ${command.command}`);
  try {
    command.load(env);
  } catch (error) {
    problems.push(`mailq ${command.command} refuses its environment: ${(error as Error).message}`);
  }
  return problems;
}
