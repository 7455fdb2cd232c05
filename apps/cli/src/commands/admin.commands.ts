import { parseConfig } from '@mailq/contracts';
import { RedisEnv, createRedis, waitForReady } from '@mailq/queues';
import { Stores } from '@mailq/store';
import { resolveRedisTarget } from '../redis-target';

/** Runs an admin action against the configured Redis (or the running `mailq dev`'s). */
async function withStores<T>(
  env: Record<string, string | undefined>,
  action: (stores: Stores) => Promise<T>,
): Promise<T> {
  const config = parseConfig(RedisEnv, env);
  const target = resolveRedisTarget(config, '.data', true);
  if (!target) throw new Error('no Redis configured');
  const redis = createRedis(target, 'producer', 'mailq-admin');
  try {
    await waitForReady(redis, 10_000);
    return await action(new Stores(redis, config.MAILQ_NAMESPACE));
  } finally {
    redis.disconnect();
  }
}

/** `mailq tenant create --name <name>` */
export async function tenantCreate(env: Record<string, string | undefined>, name: string): Promise<string> {
  const tenant = await withStores(env, (stores) => stores.tenants.create(name));
  return `Created tenant ${tenant.id} (${tenant.name}).\nNext: mailq key create --tenant ${tenant.id}\n`;
}

/** `mailq key create --tenant <id> [--name <label>]`: prints the key once; only its SHA-256 is stored. */
export async function keyCreate(
  env: Record<string, string | undefined>,
  tenantId: string,
  label: string,
): Promise<string> {
  return withStores(env, async (stores) => {
    if (!(await stores.tenants.get(tenantId)))
      throw new Error(`No tenant ${tenantId}; create one with: mailq tenant create --name <name>`);
    const created = await stores.apiKeys.create(tenantId, label);
    return [
      `API key ${created.keyId} for tenant ${tenantId}:`,
      '',
      `  ${created.key}`,
      '',
      'It is shown only now and stored only as a SHA-256 hash: keep it in your secret store.',
      '',
    ].join('\n');
  });
}

/** `mailq tenant update --tenant <id> --track-opens true|false --track-clicks true|false` */
export async function tenantUpdate(
  env: Record<string, string | undefined>,
  tenantId: string,
  tracking: { opens?: boolean; clicks?: boolean },
): Promise<string> {
  return withStores(env, async (stores) => {
    if (!(await stores.tenants.get(tenantId))) throw new Error(`No tenant ${tenantId}`);
    await stores.tenants.setTracking(tenantId, tracking);
    const tenant = await stores.tenants.get(tenantId);
    return `Tenant ${tenantId}: tracking opens ${tenant?.tracking.opens ? 'on' : 'off'}, clicks ${tenant?.tracking.clicks ? 'on' : 'off'} by default (workers pick this up within a minute).\n`;
  });
}
