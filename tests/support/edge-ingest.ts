import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_dev } from 'wrangler';

const INGEST_DIR = fileURLToPath(new URL('../../apps/ingest/', import.meta.url));

export interface EdgeIngest {
  url: string;
  stop(): Promise<void>;
}

/**
 * The ingest's Workers entry (`apps/ingest/src/worker.ts` with its
 * `wrangler.toml`) in workerd, wrangler's local runtime, pointed at a relay.
 * Only the bindings differ from a deployment.
 */
export async function startEdgeIngest(options: {
  relayUrl: string;
  relaySecret: string;
  port: number;
  trackingKeys?: string;
}): Promise<EdgeIngest> {
  const worker = await unstable_dev(join(INGEST_DIR, 'src/worker.ts'), {
    config: join(INGEST_DIR, 'wrangler.toml'),
    inspect: false,
    ip: '127.0.0.1',
    port: options.port,
    persist: false,
    logLevel: 'error',
    vars: {
      RELAY_URL: options.relayUrl,
      RELAY_SECRET: options.relaySecret,
      ...(options.trackingKeys ? { TRACKING_KEYS: options.trackingKeys } : {}),
    },
    experimental: { disableExperimentalWarning: true, disableDevRegistry: true },
  });
  return { url: `http://127.0.0.1:${worker.port}`, stop: () => worker.stop() };
}
