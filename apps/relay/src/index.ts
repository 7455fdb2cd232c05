export { RedisBackend, type RedisBackendOptions } from './redis-backend';
export { checkRedis } from './redis-health';
