import * as v from 'valibot';
import { AddressList, EmailAddress } from './email-address';
import { HeaderName, RESERVED_HEADERS, headerSafe } from './header-safety';
import { LIMITS } from './limits';
import { TemplateVariables } from './templates';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;
const TAG_TEXT = /^[A-Za-z0-9_-]{1,256}$/;

/** Decoded size of a base64 string, without decoding it. */
export function base64DecodedBytes(content: string): number {
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return (content.length / 4) * 3 - padding;
}

export const Attachment = v.strictObject({
  filename: headerSafe(255, 'filename'),
  content: v.pipe(
    v.string('content must be a base64 string'),
    v.regex(BASE64, 'content must be standard base64'),
    v.check(
      (s) => base64DecodedBytes(s) <= LIMITS.maxAttachmentBytes,
      `an attachment must be at most ${LIMITS.maxAttachmentBytes} bytes`,
    ),
  ),
  content_type: v.optional(v.pipe(v.string(), v.regex(MIME_TYPE, 'content_type must be a MIME type'))),
  /** Makes the attachment inline: reference it from the HTML as `<img src="cid:...">` (RFC 2392). */
  content_id: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]{1,200}$/, 'content_id must be a cid token'),
    ),
  ),
});
export type Attachment = v.InferOutput<typeof Attachment>;

export const Tag = v.strictObject({
  name: v.pipe(v.string(), v.regex(TAG_TEXT, 'tag names are 1-256 of A-Z a-z 0-9 _ -')),
  value: v.pipe(v.string(), v.regex(TAG_TEXT, 'tag values are 1-256 of A-Z a-z 0-9 _ -')),
});
export type Tag = v.InferOutput<typeof Tag>;

const CustomHeaders = v.pipe(
  v.record(HeaderName, headerSafe(LIMITS.maxHeaderValueChars, 'header value')),
  v.check(
    (h) => Object.keys(h).length <= LIMITS.maxCustomHeaders,
    `at most ${LIMITS.maxCustomHeaders} headers`,
  ),
  v.check(
    (h) => Object.keys(h).every((name) => !RESERVED_HEADERS.has(name.toLowerCase())),
    'headers must not set From, To, Cc, Bcc, Subject, Reply-To, Message-ID, Date or MIME headers; use the fields',
  ),
);

const Metadata = v.pipe(
  v.record(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,64}$/, 'metadata keys are 1-64 of A-Z a-z 0-9 _ . -')),
    headerSafe(LIMITS.maxMetadataValueChars, 'metadata value'),
  ),
  v.check(
    (m) => Object.keys(m).length <= LIMITS.maxMetadataKeys,
    `at most ${LIMITS.maxMetadataKeys} metadata keys`,
  ),
);

/** `POST /v1/emails`: one message. Unknown fields are refused so typos are not silently ignored. */
export const SendEmailRequest = v.pipe(
  v.strictObject({
    from: EmailAddress,
    to: AddressList,
    cc: v.optional(AddressList),
    bcc: v.optional(AddressList),
    reply_to: v.optional(AddressList),
    subject: v.optional(
      v.pipe(headerSafe(LIMITS.maxSubjectChars, 'subject'), v.minLength(1, 'subject must not be empty')),
    ),
    text: v.optional(v.string('text must be a string')),
    html: v.optional(v.string('html must be a string')),
    /** A stored template (id or name) rendered with `variables` instead of subject/text/html. */
    template: v.optional(
      v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]{1,100}$/, 'template is a template id or name')),
    ),
    variables: v.optional(TemplateVariables),
    headers: v.optional(CustomHeaders),
    attachments: v.optional(v.pipe(v.array(Attachment), v.maxLength(LIMITS.maxAttachments))),
    tags: v.optional(v.pipe(v.array(Tag), v.maxLength(LIMITS.maxTags))),
    metadata: v.optional(Metadata),
    tracking: v.optional(v.strictObject({ opens: v.optional(v.boolean()), clicks: v.optional(v.boolean()) })),
    /** Send later: an ISO 8601 time at most 30 days ahead. */
    scheduled_at: v.optional(
      v.pipe(v.string(), v.isoTimestamp('scheduled_at must be an ISO 8601 timestamp')),
    ),
  }),
  v.check(
    (m) => (m.template === undefined ? m.subject !== undefined : m.subject === undefined),
    'give a subject, or a template (whose subject is used) — not both',
  ),
  v.check(
    (m) =>
      m.template === undefined
        ? m.text !== undefined || m.html !== undefined
        : m.text === undefined && m.html === undefined,
    'a message needs text, html or both — or a template instead of them',
  ),
  v.check((m) => m.variables === undefined || m.template !== undefined, 'variables need a template'),
  v.check(
    (m) => m.to.length + (m.cc?.length ?? 0) + (m.bcc?.length ?? 0) <= LIMITS.maxRecipients,
    `at most ${LIMITS.maxRecipients} recipients across to, cc and bcc`,
  ),
);
export type SendEmailRequest = v.InferOutput<typeof SendEmailRequest>;

/** Bytes the message body and attachments take once decoded (checked against `LIMITS.maxMessageBytes`). */
export function messageSizeBytes(m: SendEmailRequest): number {
  const encoder = new TextEncoder();
  const bodies = encoder.encode(m.text ?? '').length + encoder.encode(m.html ?? '').length;
  return bodies + (m.attachments ?? []).reduce((sum, a) => sum + base64DecodedBytes(a.content), 0);
}

/** Every recipient (to, cc, bcc) of a message, as given. */
export function allRecipients(m: SendEmailRequest): string[] {
  return [...m.to, ...(m.cc ?? []), ...(m.bcc ?? [])];
}

/** Latest `scheduled_at` accepted, from now. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3600 * 1000;

/** A message whose content is final: a template has been rendered into subject/text/html. */
export type RenderedEmail = SendEmailRequest & { subject: string };

/** `202` answer to a send. */
export const SendEmailResponse = v.object({ id: v.string() });
export type SendEmailResponse = v.InferOutput<typeof SendEmailResponse>;
