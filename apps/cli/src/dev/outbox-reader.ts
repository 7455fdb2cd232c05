import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';

/** One captured message as the outbox lists it. */
export interface OutboxEntry {
  /** File name inside the capture directory, e.g. `2025-01-31T12-00-00.000Z-0a1b2c3d.eml`. */
  file: string;
  from: string | null;
  to: string | null;
  subject: string | null;
  /** The `Date` header as ISO 8601, null when absent or unparsable. */
  date: string | null;
  messageId: string | null;
  /** Size of the `.eml` file in bytes (envelope header lines included). */
  size: number;
  /** Start of the plain-text body (derived from the HTML part when there is no text part). */
  preview: string;
}

/** How many messages the outbox reads at most; older ones stay on disk but are not listed. */
export const OUTBOX_LIMIT = 200;

const PREVIEW_CHARS = 200;

/**
 * The only file names the outbox reads or serves. Matches what the capture server
 * writes, excludes its `.tmp` files, and (no `/`, no leading path) rules out traversal.
 */
export const EML_FILE_NAME = /^[A-Za-z0-9._-]+\.eml$/;

/**
 * Lists the newest {@link OUTBOX_LIMIT} captured messages in `dir`, newest first.
 * A missing directory is an empty outbox; a file that fails to parse is still listed
 * with empty fields so one bad message cannot hide the others.
 */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Capture file names start with an ISO timestamp, so name order is arrival order
  // without stat()ing every file of a long-running dev session.
  const newest = names
    .filter((name) => EML_FILE_NAME.test(name))
    .sort()
    .reverse()
    .slice(0, OUTBOX_LIMIT);

  const entries: OutboxEntry[] = [];
  // Sequential: parsing is CPU-bound, so parallelism would only raise peak memory.
  for (const file of newest) {
    const entry = await readEntry(dir, file);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Reads and parses one file; undefined when it vanished between readdir and read. */
async function readEntry(dir: string, file: string): Promise<OutboxEntry | undefined> {
  let raw: Buffer;
  try {
    raw = await readFile(join(dir, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') return undefined;
    throw error;
  }
  const entry: OutboxEntry = {
    file,
    from: null,
    to: null,
    subject: null,
    date: null,
    messageId: null,
    size: raw.length,
    preview: '',
  };
  try {
    // Only headers and text are shown: skip the work for HTML variants and inline images.
    const mail = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
    entry.from = addressText(mail.from);
    entry.to = addressText(mail.to);
    entry.subject = mail.subject ?? null;
    entry.date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null;
    entry.messageId = mail.messageId ?? null;
    entry.preview = (mail.text ?? '').replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
  } catch {
    // Unparsable message: keep the entry with its file name and size so it can still be opened raw.
  }
  return entry;
}

/** Formats an address header (possibly repeated) as one display string. */
function addressText(value: AddressObject | AddressObject[] | undefined): string | null {
  if (!value) return null;
  const text = (Array.isArray(value) ? value : [value])
    .map((item) => item.text)
    .filter(Boolean)
    .join(', ');
  return text || null;
}
