export { signTrackingToken, verifyTrackingToken } from './tracking-token';
export { isSafeTargetUrl } from './tracking-claims';
export type { TrackingClaims } from './tracking-claims';
export { parseTrackingKeys } from './tracking-keys';
export type { TrackingKey, TrackingKeys } from './tracking-keys';
export { signRelayRequest, verifyRelayRequest } from './relay-signature';
export type { RelayRequestParts, RelayVerification } from './relay-signature';
