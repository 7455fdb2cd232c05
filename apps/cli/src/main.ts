import { ConfigError } from '@mailq/contracts';
import { parseArgs } from 'node:util';
import { keyCreate, tenantCreate, tenantUpdate } from './commands/admin.commands';
import { devCommand } from './commands/dev.command';
import { migrateCommand } from './commands/migrate.command';
import { QUEUE_USAGE, queueCommand } from './commands/queue.command';
import { relayCommand } from './commands/relay.command';
import { serveCommand } from './commands/serve.command';
import { workerCommand } from './commands/worker.command';
import { UsageError } from './usage-error';

const USAGE = `mailq — Mail Queue command line

  mailq dev                                  everything in one process (npm start)
  mailq serve                                ingest API + relay (needs REDIS_URL or REDIS_CLUSTER)
  mailq relay                                the relay's signed internal API, for ingest at the edge
                                             (needs REDIS_URL or REDIS_CLUSTER, RELAY_SECRET)
  mailq worker                               a worker process (needs REDIS_URL or REDIS_CLUSTER, SMTP_URL)
  mailq tenant create --name <name>          create a tenant
  mailq key create --tenant <id> [--name x]  create an API key (shown once)
  mailq migrate prepare                      pause queues, wait for in-flight jobs, back up (before moving to a cluster)
  mailq migrate resume                       resume the queues
  mailq tenant update --tenant <id> [--track-opens true|false] [--track-clicks true|false]
                                             the tenant's tracking defaults
${QUEUE_USAGE.trimEnd()}
`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      tenant: { type: 'string' },
      domain: { type: 'string' },
      reason: { type: 'string' },
      limit: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'track-opens': { type: 'string' },
      'track-clicks': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const env = process.env;
  const command = positionals.join(' ');
  if (values.help || command === '') {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] === 'queue') {
    const code = await queueCommand(env, positionals.slice(1), values, (line) =>
      process.stdout.write(`${line}\n`),
    );
    if (code !== 0) process.exit(code);
    return;
  }
  switch (command) {
    case 'dev':
      return devCommand(env);
    case 'serve':
      return serveCommand(env);
    case 'relay':
      return relayCommand(env);
    case 'worker':
      return workerCommand(env);
    case 'tenant create':
      if (!values.name) throw new UsageError('tenant create needs --name <name>');
      process.stdout.write(await tenantCreate(env, values.name));
      return;
    case 'migrate prepare':
    case 'migrate resume': {
      const code = await migrateCommand(env, command === 'migrate prepare' ? 'prepare' : 'resume', (line) =>
        process.stdout.write(`${line}\n`),
      );
      if (code !== 0) process.exit(code);
      return;
    }
    case 'tenant update': {
      if (!values.tenant) throw new UsageError('tenant update needs --tenant <tenant id>');
      const flag = (name: string, value: string | undefined) => {
        if (value === undefined) return undefined;
        if (value !== 'true' && value !== 'false') throw new UsageError(`--${name} takes true or false`);
        return value === 'true';
      };
      const opens = flag('track-opens', values['track-opens']);
      const clicks = flag('track-clicks', values['track-clicks']);
      process.stdout.write(
        await tenantUpdate(env, values.tenant, {
          ...(opens !== undefined ? { opens } : {}),
          ...(clicks !== undefined ? { clicks } : {}),
        }),
      );
      return;
    }
    case 'key create':
      if (!values.tenant) throw new UsageError('key create needs --tenant <tenant id>');
      process.stdout.write(await keyCreate(env, values.tenant, values.name ?? 'api key'));
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`mailq: ${error.message}\n\n${USAGE}`);
  else if (error instanceof ConfigError) process.stderr.write(`mailq: ${error.message}\n`);
  else process.stderr.write(`mailq: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 64 : 1);
});
