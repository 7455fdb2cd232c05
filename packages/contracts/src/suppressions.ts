import * as v from 'valibot';
import { isValidAddress } from './email-address';

export const SuppressionReason = v.picklist(['hard_bounce', 'complaint', 'manual', 'unsubscribe']);
export type SuppressionReason = v.InferOutput<typeof SuppressionReason>;

/** A bare address, lower-cased: suppression is per mailbox, whatever display name was used. */
export const BareAddress = v.pipe(
  v.string('email must be a string'),
  v.trim(),
  v.toLowerCase(),
  v.check((s) => isValidAddress(s), 'email must be a bare address such as ada@example.com'),
);

/** `POST /v1/suppressions`. Bounces and complaints add entries themselves. */
export const SuppressionInput = v.strictObject({
  email: BareAddress,
  reason: v.optional(v.picklist(['manual', 'unsubscribe'], 'reason must be manual or unsubscribe'), 'manual'),
  detail: v.optional(v.pipe(v.string(), v.maxLength(500))),
});
export type SuppressionInput = v.InferOutput<typeof SuppressionInput>;

export const Suppression = v.object({
  email: v.string(),
  reason: SuppressionReason,
  /** What added it: `api`, `bounce` (with the message id) or `complaint`. */
  source: v.string(),
  detail: v.optional(v.string()),
  created_at: v.string(),
});
export type Suppression = v.InferOutput<typeof Suppression>;
