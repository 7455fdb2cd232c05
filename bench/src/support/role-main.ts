// Entry of a role process: `node --import tsx role-main.ts <role> <json options>`.
import { ROLE_MODULES, type FromRole, type Role, type RoleName, type ToRole } from './role';

const [name, json = '{}'] = process.argv.slice(2);

function send(message: FromRole): void {
  process.send?.(message);
}

// The parent going away (crash, Ctrl-C) must not leave servers and workers behind.
process.on('disconnect', () => process.exit(0));

async function main(): Promise<void> {
  if (!name || !(name in ROLE_MODULES)) throw new Error(`unknown role ${name}`);
  const module = (await import(ROLE_MODULES[name as RoleName])) as {
    start(options: unknown): Promise<Role>;
  };
  const role = await module.start(JSON.parse(json));
  const builtins: Role['methods'] = {
    // CPU time of this process, for per-message CPU figures.
    cpu: () => process.cpuUsage(),
    memory: () => process.memoryUsage(),
  };
  process.on('message', (message: ToRole) => {
    if (message.type === 'stop') {
      void role.close().finally(() => {
        // Exit only once the reply is flushed to the parent.
        process.send?.({ type: 'result', id: message.id } satisfies FromRole, () => process.exit(0));
      });
      return;
    }
    const method = role.methods[message.method] ?? builtins[message.method];
    if (!method) {
      send({ type: 'result', id: message.id, error: `role ${name} has no method ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => method(message.args as never))
      .then(
        (result) => send({ type: 'result', id: message.id, result }),
        (error: unknown) => send({ type: 'result', id: message.id, error: String(error) }),
      );
  });
  send({ type: 'ready', info: role.info });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
