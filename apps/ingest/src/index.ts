export { createApp } from './app';
export type { AppDeps, AppEnv, IngestLogger } from './app-env';
export { IngestEnv, ingestSettings, loadIngestConfig, relaySettings } from './config';
export { listen, type HttpServer } from './node-server';
export { startNodeIngest, type NodeIngest, type NodeIngestOptions } from './node';
