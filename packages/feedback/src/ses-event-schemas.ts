import * as v from 'valibot';

// SES publishes the same objects through configuration-set event publishing
// (`eventType`) and identity notifications (`notificationType`).

/** The `mail` object of an SES event: the message the event is about. */
export const SesMail = v.looseObject({
  messageId: v.string(),
  timestamp: v.optional(v.string()),
  destination: v.optional(v.array(v.string()), []),
  headers: v.optional(v.array(v.looseObject({ name: v.string(), value: v.string() })), []),
  commonHeaders: v.optional(v.looseObject({ messageId: v.optional(v.string()) })),
  tags: v.optional(v.record(v.string(), v.array(v.string()))),
});
export type SesMail = v.InferOutput<typeof SesMail>;
const At = { timestamp: v.optional(v.string()) };
const Recipient = v.looseObject({
  emailAddress: v.string(),
  status: v.optional(v.string()),
  diagnosticCode: v.optional(v.string()),
});
/** The SES event types we track, by their `eventType` / `notificationType`, with the fields we read. */
export const SES_EVENTS = {
  Bounce: v.looseObject({
    mail: SesMail,
    bounce: v.looseObject({
      ...At,
      bounceType: v.string(),
      bounceSubType: v.optional(v.string()),
      feedbackId: v.optional(v.string()),
      bouncedRecipients: v.array(Recipient),
    }),
  }),
  Complaint: v.looseObject({
    mail: SesMail,
    complaint: v.looseObject({
      ...At,
      feedbackId: v.optional(v.string()),
      complaintFeedbackType: v.optional(v.string()),
      userAgent: v.optional(v.string()),
      complainedRecipients: v.array(Recipient),
    }),
  }),
  Delivery: v.looseObject({
    mail: SesMail,
    delivery: v.looseObject({ ...At, recipients: v.array(v.string()), smtpResponse: v.optional(v.string()) }),
  }),
  Open: v.looseObject({ mail: SesMail, open: v.looseObject({ ...At, userAgent: v.optional(v.string()) }) }),
  Click: v.looseObject({
    mail: SesMail,
    click: v.looseObject({ ...At, link: v.string(), userAgent: v.optional(v.string()) }),
  }),
};
/** Just the type of an SES event. */
export const SesEventKind = v.looseObject({
  eventType: v.optional(v.string()),
  notificationType: v.optional(v.string()),
});
