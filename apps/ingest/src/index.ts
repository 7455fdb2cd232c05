export { createApp } from './app';
export type { AppDeps, AppEnv, IngestLogger } from './app-env';
export { IngestEnv, ingestSettings, loadIngestConfig } from './config';
export { createRelayBackend, type RelayBackendOptions } from './edge/relay-backend';
export { listen, type HttpServer } from '@mailq/relay';
export { startNodeIngest, type NodeIngest, type NodeIngestOptions } from './node';
