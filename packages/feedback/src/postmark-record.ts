import * as v from 'valibot';

const Metadata = v.optional(v.record(v.string(), v.unknown()));
// A JSON number; past 2^53 it loses precision, but the same way on every retry.
const Id = v.union([v.number(), v.string()]);
const Common = { MessageID: v.string(), Metadata, MessageStream: v.optional(v.string()) };
/** The Postmark webhook records we track, as documented (Webhooks → Bounce, Delivery, Spam complaint, Open, Click). */
export const PostmarkRecord = v.variant('RecordType', [
  v.object({
    RecordType: v.literal('Delivery'),
    ...Common,
    Recipient: v.string(),
    DeliveredAt: v.string(),
    Details: v.optional(v.string()),
  }),
  v.object({
    RecordType: v.picklist(['Bounce', 'SpamComplaint']),
    ...Common,
    ID: Id,
    Type: v.string(),
    Email: v.string(),
    BouncedAt: v.string(),
    Description: v.optional(v.string()),
    Details: v.optional(v.string()),
    Inactive: v.optional(v.boolean()),
  }),
  v.object({
    RecordType: v.literal('Open'),
    ...Common,
    Recipient: v.string(),
    ReceivedAt: v.string(),
    UserAgent: v.optional(v.string()),
  }),
  v.object({
    RecordType: v.literal('Click'),
    ...Common,
    Recipient: v.string(),
    ReceivedAt: v.string(),
    OriginalLink: v.string(),
    UserAgent: v.optional(v.string()),
  }),
]);
/** Any record of a type we track; other types (SubscriptionChange, Inbound) are ignored, not rejected. */
export const TrackedRecordType = v.looseObject({
  RecordType: v.picklist(['Delivery', 'Bounce', 'SpamComplaint', 'Open', 'Click']),
});

export type PostmarkRecord = v.InferOutput<typeof PostmarkRecord>;
