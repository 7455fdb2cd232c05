/**
 * The internal API between an edge ingest and the relay: every `Backend`
 * method as a signed `POST /internal/v1/rpc/<port.method>` whose JSON body is
 * `{"args":[…]}`. The relay answers `{"result":…}`, or the error envelope with
 * the error's status, so an `ApiError` thrown in the relay reaches the client
 * unchanged. Arguments are what the ingest has already validated; every one is
 * plain JSON (valibot outputs here carry no Date or class instances).
 */
export const RELAY_RPC_PATH = '/internal/v1/rpc';

export const RELAY_METHODS = [
  'authenticate',
  'readiness',
  'emails.send',
  'emails.sendBatch',
  'emails.get',
  'emails.list',
  'emails.cancel',
  'suppressions.list',
  'suppressions.add',
  'suppressions.remove',
  'domains.create',
  'domains.list',
  'domains.get',
  'domains.verify',
  'templates.create',
  'templates.list',
  'templates.get',
  'templates.update',
  'templates.remove',
  'webhooks.create',
  'webhooks.list',
  'webhooks.get',
  'webhooks.update',
  'webhooks.remove',
  'webhooks.replay',
  'webhooks.deliveries',
  'analytics.query',
  'tracking.record',
  'feedback.provider',
  'feedback.inbound',
] as const;
export type RelayMethod = (typeof RELAY_METHODS)[number];

export function isRelayMethod(name: string): name is RelayMethod {
  return (RELAY_METHODS as readonly string[]).includes(name);
}

/** Headers of a signed relay request (see `@mailq/signing` `signRelayRequest`). */
export const RELAY_HEADERS = {
  timestamp: 'x-mailq-timestamp',
  nonce: 'x-mailq-nonce',
  signature: 'x-mailq-signature',
} as const;

/** A signed request older or newer than this (seconds) is refused as stale. */
export const RELAY_MAX_SKEW_S = 300;
/** The shortest RELAY_SECRET accepted (characters): 256 bits of entropy as hex or more. */
export const RELAY_SECRET_MIN_LENGTH = 32;
