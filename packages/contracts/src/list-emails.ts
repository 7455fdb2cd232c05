import * as v from 'valibot';
import { MessageStatus } from './message-status';
import { PageQuery } from './pagination';

const IsoTime = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z'),
);

/** `GET /v1/emails?status=&tag=&to=&after=&before=&limit=&cursor=`: recent messages, newest first. */
export const ListEmailsQuery = v.object({
  ...PageQuery.entries,
  status: v.optional(MessageStatus),
  /** `name:value` of a tag. */
  tag: v.optional(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,256}:[A-Za-z0-9_-]{1,256}$/, 'tag must be name:value')),
  ),
  to: v.optional(v.pipe(v.string(), v.trim(), v.toLowerCase(), v.maxLength(320))),
  after: v.optional(IsoTime),
  before: v.optional(IsoTime),
});
export type ListEmailsQuery = v.InferOutput<typeof ListEmailsQuery>;

export const EmailSummary = v.object({
  id: v.string(),
  status: MessageStatus,
  from: v.string(),
  subject: v.string(),
  to: v.array(v.string()),
  created_at: v.string(),
  scheduled_at: v.optional(v.string()),
  tags: v.array(v.object({ name: v.string(), value: v.string() })),
});
export type EmailSummary = v.InferOutput<typeof EmailSummary>;
