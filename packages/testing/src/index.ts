// Public surface of @mailq/testing: real services on loopback ports for integration tests.
export { freePort } from './free-port';
export { waitUntil, type WaitUntilOptions } from './wait-until';
export { startRedisServer, type RedisServerHandle, type RedisServerOptions } from './redis-server';
export { useRedisServer, type RedisFixture } from './redis-fixture';
export {
  startRedisCluster,
  type RedisClusterHandle,
  type RedisClusterOptions,
  type RedisNodeAddress,
} from './redis-cluster';
export { startSmtpSink, type SmtpSink, type SmtpSinkStats } from './smtp-sink';
export type { SmtpReply, SmtpReplyContext, SmtpReplyFn, SmtpStage } from './smtp-reply';
export type { ReceivedMessage } from './received-message';
