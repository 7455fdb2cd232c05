import { intVar, parseConfig } from '@mailq/contracts';
import { RelayEnv, adminCredentials, relaySettings } from '@mailq/relay';
import { parseTrackingKeys } from '@mailq/signing';
import * as v from 'valibot';

/** Environment of the Node ingest (with the relay in-process), parsed once at start. */
export const IngestEnv = v.object({
  ...RelayEnv.entries,
  /** HTTP port (default 3000). */
  PORT: intVar(3000, 1, 65535, 'a port number (1-65535)'),
  /** Interface to listen on (default 127.0.0.1; 0.0.0.0 in containers). */
  HOST: v.optional(v.pipe(v.string(), v.minLength(1)), '127.0.0.1'),
  /** Tracking signing keys, `id:secret[,id:secret…]`, current first; enables /t/o and /t/c. */
  TRACKING_KEYS: v.optional(v.string()),
});
export type IngestEnv = v.InferOutput<typeof IngestEnv>;

export function loadIngestConfig(env: Record<string, string | undefined>): IngestEnv {
  return parseConfig(IngestEnv, env);
}

/** What `startNodeIngest` takes from the environment (`mailq serve` and `mailq dev` alike). */
export function ingestSettings(config: IngestEnv) {
  return {
    port: config.PORT,
    host: config.HOST,
    namespace: config.MAILQ_NAMESPACE,
    relay: relaySettings(config),
    ...(adminCredentials(config) ? { admin: adminCredentials(config) } : {}),
    ...(config.TRACKING_KEYS ? { trackingKeys: parseTrackingKeys(config.TRACKING_KEYS) } : {}),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
}
