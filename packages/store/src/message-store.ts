import {
  overallStatus,
  type EmailEvent,
  type EmailSummary,
  type EmailStatusResponse,
  type MessageStatus,
  type RecipientState,
  type Tag,
} from '@mailq/contracts';
import type { RedisClient } from '@mailq/queues';
import { dueEvery } from './due-every';
import type { StoreKeys } from './keys';
import { FILL_RECORD, WRITE_RECORD } from './record-scripts';

export interface NewMessage {
  id: string;
  tenantId: string;
  from: string;
  subject: string;
  messageIdHeader: string;
  createdAt: string;
  /** Bare, lower-cased recipient addresses (to, cc and bcc). */
  recipients: string[];
  tags: Tag[];
  metadata: Record<string, string>;
  /** ISO time the message is held until, when scheduled. */
  scheduledAt?: string;
}

export interface RecipientUpdate {
  address: string;
  status: MessageStatus;
  reply?: string;
}

const RCPT = 'rcpt:';
/** `sent:<address>`: when email.sent was published for the recipient (it is, once). */
const SENT = 'sent:';
/** Message records are kept 30 days after their last change. */
const RETENTION_SECONDS = 30 * 24 * 3600;
/** Each process trims a tenant's search index of expired entries at most this often (not per message). */
const INDEX_TRIM_EVERY_MS = 60_000;

/**
 * Message records: one hash per message (summary fields plus one `rcpt:<address>`
 * field per recipient, the per-recipient ledger) and one list of timeline
 * events. Both keys share the `{msg:<id>}` hash tag, so each change is one
 * script call (WRITE_RECORD) on Redis and on Redis Cluster alike.
 */
export class MessageStore {
  private readonly indexTrimDue = dueEvery(INDEX_TRIM_EVERY_MS);

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  /**
   * Writes a new message's record and its index entry. `keepExisting` leaves every field the
   * record already has as it is: a request resumed after a storage failure writes its messages
   * again, and a worker may already have recorded outcomes in them.
   */
  async create(message: NewMessage, { keepExisting = false } = {}): Promise<void> {
    const status: MessageStatus = message.scheduledAt ? 'scheduled' : 'queued';
    const fields: Record<string, string> = {
      tenant: message.tenantId,
      from: message.from,
      subject: message.subject,
      message_id: message.messageIdHeader,
      created_at: message.createdAt,
      tags: JSON.stringify(message.tags),
      metadata: JSON.stringify(message.metadata),
      ...(message.scheduledAt ? { scheduled_at: message.scheduledAt } : {}),
    };
    for (const address of message.recipients) {
      const state: Omit<RecipientState, 'address'> = { status, updated_at: message.createdAt };
      fields[RCPT + address] = JSON.stringify(state);
    }
    // The record and the tenant's search index (on the tenant's slot) are written side by side.
    // The "accepted" timeline entry is not stored: get() derives it from created_at.
    const createdMs = Date.parse(message.createdAt);
    await Promise.all([
      keepExisting
        ? FILL_RECORD.run(
            this.redis,
            [this.keys.message(message.id)],
            [RETENTION_SECONDS, ...Object.entries(fields).flat()],
          )
        : this.write(message.id, fields, []),
      this.redis.zadd(this.keys.tenantEmails(message.tenantId), createdMs, message.id),
    ]);
    if (this.indexTrimDue(message.tenantId, createdMs)) {
      await this.redis.zremrangebyscore(
        this.keys.tenantEmails(message.tenantId),
        '-inf',
        createdMs - RETENTION_SECONDS * 1000,
      );
    }
  }

  /**
   * Records new recipient states and the events that explain them, atomically; `sentAnnounced`
   * names the recipients whose email.sent is being published with this change.
   */
  async update(
    id: string,
    updates: RecipientUpdate[],
    events: EmailEvent[],
    at: string,
    sentAnnounced: string[] = [],
  ): Promise<void> {
    const fields: Record<string, string> = {};
    for (const { address, ...rest } of updates)
      fields[RCPT + address] = JSON.stringify({ ...rest, updated_at: at });
    for (const address of sentAnnounced) fields[SENT + address] = at;
    await this.write(id, fields, events);
  }

  /** Deletes a record that was written for a message that could not be enqueued. */
  async remove(tenantId: string, id: string): Promise<void> {
    await this.redis.multi().del(this.keys.message(id)).del(this.keys.messageEvents(id)).exec();
    await this.redis.zrem(this.keys.tenantEmails(tenantId), id);
  }

  /** The summary fields and recipient states only (no timeline): what search needs. */
  async summary(tenantId: string, id: string): Promise<EmailSummary | null> {
    const fields = await this.redis.hgetall(this.keys.message(id));
    if (fields.tenant !== tenantId) return null;
    const { recipients, ...common } = commonFields(id, fields);
    return { ...common, to: recipients.map((r) => r.address) };
  }

  /** The tenant a message belongs to, or null when there is no such record. */
  async tenantOf(id: string): Promise<string | null> {
    return this.redis.hget(this.keys.message(id), 'tenant');
  }

  /** The recipients' current states, keyed by address. */
  async recipients(id: string): Promise<Map<string, RecipientState>> {
    return (await this.ledger(id)).recipients;
  }

  /** What a delivery attempt consults: the recipients' states, and whose email.sent is out. */
  async ledger(id: string): Promise<{ recipients: Map<string, RecipientState>; sentAnnounced: Set<string> }> {
    const fields = await this.redis.hgetall(this.keys.message(id));
    const sentAnnounced = Object.keys(fields)
      .filter((name) => name.startsWith(SENT))
      .map((name) => name.slice(SENT.length));
    return {
      recipients: new Map(recipientStates(fields).map((r) => [r.address, r])),
      sentAnnounced: new Set(sentAnnounced),
    };
  }

  /** The record as the API shows it, or null if it does not exist or is another tenant's. */
  async get(tenantId: string, id: string): Promise<EmailStatusResponse | null> {
    const result = await this.redis
      .multi()
      .hgetall(this.keys.message(id))
      .lrange(this.keys.messageEvents(id), 0, -1)
      .exec();
    const fields = (result?.[0]?.[1] ?? {}) as Record<string, string>;
    const events = (result?.[1]?.[1] ?? []) as string[];
    if (fields.tenant !== tenantId) return null;
    const timeline = events.map((e) => JSON.parse(e) as EmailEvent);
    // Records written before the entry was derived store it themselves.
    if (timeline[0]?.type !== 'accepted') timeline.unshift(acceptedEvent(fields));
    return {
      ...commonFields(id, fields),
      message_id: fields.message_id ?? '',
      events: timeline,
      metadata: JSON.parse(fields.metadata ?? '{}') as Record<string, string>,
    };
  }

  private async write(id: string, fields: Record<string, string>, events: EmailEvent[]): Promise<void> {
    const pairs = Object.entries(fields).flat();
    await WRITE_RECORD.run(
      this.redis,
      [this.keys.message(id), this.keys.messageEvents(id)],
      [RETENTION_SECONDS, pairs.length, ...pairs, ...events.map((e) => JSON.stringify(e))],
    );
  }
}

/** The first timeline entry, derived from the record. */
function acceptedEvent(fields: Record<string, string>): EmailEvent {
  return {
    type: 'accepted',
    at: fields.created_at ?? '',
    ...(fields.scheduled_at ? { detail: `scheduled for ${fields.scheduled_at}` } : {}),
  };
}

// What the detail view and the search summary share, read from the record hash.
function commonFields(id: string, fields: Record<string, string>) {
  const recipients = recipientStates(fields);
  return {
    id,
    status: overallStatus(recipients),
    from: fields.from ?? '',
    subject: fields.subject ?? '',
    created_at: fields.created_at ?? '',
    ...(fields.scheduled_at ? { scheduled_at: fields.scheduled_at } : {}),
    recipients,
    tags: JSON.parse(fields.tags ?? '[]') as Tag[],
  };
}

function recipientStates(fields: Record<string, string>): RecipientState[] {
  return Object.entries(fields)
    .filter(([name]) => name.startsWith(RCPT))
    .map(([name, value]) => ({
      address: name.slice(RCPT.length),
      ...(JSON.parse(value) as Omit<RecipientState, 'address'>),
    }));
}
