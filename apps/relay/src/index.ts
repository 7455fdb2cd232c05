export { RedisBackend, type RedisBackendOptions } from './redis-backend';
export { checkRedis } from './redis-health';
export { startBounceListener, type BounceListener } from './events/bounce-listener';
export { checkDurability, confirmReplicated, type Durability } from './durability';
export { openRelay, type OpenRelay, type OpenRelayOptions } from './open-relay';
export { RelayEnv, RelayServiceEnv, loadRelayServiceConfig, relaySettings } from './config';
export { createRelayApp, type RelayAppDeps, type RelayLogger } from './http/relay-app';
export { startRelayService, type RelayService, type RelayServiceOptions } from './http/relay-service';
export { listen, type HttpServer } from './http/node-server';
