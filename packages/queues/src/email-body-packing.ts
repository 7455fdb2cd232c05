import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as v from 'valibot';
import { EmailJob } from './job-payloads';

/**
 * Text and HTML of at least this many bytes are stored deflated in the job. Below it the
 * saving is a few hundred bytes for ~20-40 µs of the ingest's CPU per message; above it a
 * templated HTML message (inline CSS, tables: 10-60 KB is common) shrinks several-fold, and a
 * backlog several times larger fits in the same Redis (DESIGN §4: Redis runs noeviction, and a
 * full Redis refuses mail).
 */
export const PACK_BODY_BYTES = 4_096;

/** The stored form of a job whose text and HTML are packed: everything else stays readable. */
const PackedEmailJob = v.object({
  tenantId: v.string(),
  id: v.string(),
  messageIdHeader: v.string(),
  acceptedAt: v.string(),
  // Checked as an EmailJob once the body is back in it.
  email: v.record(v.string(), v.unknown()),
  /** `{text?, html?}` as JSON, deflated (raw), base64. */
  body: v.string(),
});
type PackedEmailJob = v.InferOutput<typeof PackedEmailJob>;

const PackedBody = v.object({ text: v.optional(v.string()), html: v.optional(v.string()) });

/**
 * An email job as stored in Redis: as it is, or with its body packed (see packEmailJob).
 * Parsing gives the EmailJob either way, validated.
 */
export const StoredEmailJob = v.union([
  EmailJob,
  v.pipe(
    PackedEmailJob,
    v.rawTransform(({ dataset: { value }, addIssue, NEVER }) => {
      const { body, ...job } = value;
      const unpacked = unpackBody(body);
      if (unpacked) return { ...job, email: { ...job.email, ...unpacked } };
      addIssue({ message: 'body is not a packed text and HTML' });
      return NEVER;
    }),
    EmailJob,
  ),
]);

/**
 * The job as it is written to Redis: the same job when its text and HTML are small, or have
 * nothing to gain (already compressed by nature); otherwise with them deflated into `body`.
 * Attachments are never packed — base64 of binary data does not deflate to anything useful.
 */
export function packEmailJob(job: EmailJob): EmailJob | PackedEmailJob {
  const { text, html, ...rest } = job.email;
  const size = Buffer.byteLength(text ?? '') + Buffer.byteLength(html ?? '');
  if (size < PACK_BODY_BYTES) return job;
  const body = deflateRawSync(JSON.stringify({ text, html })).toString('base64');
  if (body.length >= size) return job;
  return { ...job, email: rest, body };
}

function unpackBody(body: string): v.InferOutput<typeof PackedBody> | undefined {
  try {
    const parsed: unknown = JSON.parse(inflateRawSync(Buffer.from(body, 'base64')).toString('utf8'));
    const result = v.safeParse(PackedBody, parsed);
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}
