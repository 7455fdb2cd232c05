import { API_KEY_PREFIX, randomToken, type Stores } from '@mailq/store';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEV_TENANT_ID = 'dev';
const KEY_FILE = 'dev-api-key';

/**
 * Makes sure the dev tenant and its API key exist. The key is
 * MAILQ_DEV_API_KEY when set, else the one saved in `.data/dev-api-key` by an
 * earlier run, else a new one — so the key stays the same across restarts.
 */
export async function ensureDevAccess(
  stores: Stores,
  dataDir: string,
  configuredKey?: string,
): Promise<string> {
  const keyFile = join(dataDir, KEY_FILE);
  const key =
    configuredKey ??
    (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : `${API_KEY_PREFIX}dev_${randomToken(24)}`);
  if (!(await stores.tenants.get(DEV_TENANT_ID))) await stores.tenants.create('Development', DEV_TENANT_ID);
  if (!(await stores.apiKeys.resolve(key))) await stores.apiKeys.create(DEV_TENANT_ID, 'dev key', key);
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  return key;
}

/** The dev tracking key (`dev:<secret>`), created once and kept in `.data/tracking-keys`. */
export function devTrackingKeys(dataDir: string): string {
  const file = join(dataDir, 'tracking-keys');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const keys = `dev:${randomToken(32)}`;
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}

/** The dev admin password for /admin (Bull Board, admin API), created once and kept in `.data/admin-password`. */
export function devAdminPassword(dataDir: string): string {
  const file = join(dataDir, 'admin-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomToken(18);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}
