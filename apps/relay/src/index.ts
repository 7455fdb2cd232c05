export { RedisBackend, type RedisBackendOptions } from './redis-backend';
export { checkRedis } from './redis-health';
export { startBounceListener, type BounceListener } from './events/bounce-listener';
export { checkDurability, confirmReplicated, type Durability } from './durability';
