/** Header-style fields by lower-case name; a repeated field keeps every value in order. */
export type Fields = ReadonlyMap<string, readonly string[]>;

/**
 * Splits text of header-style fields into blocks at blank lines, unfolding
 * continuation lines (RFC 5322 §2.2.3). That is the shape of a
 * message/delivery-status body (RFC 3464 §2.1: per-message fields, then one
 * block per recipient) and of a message/feedback-report (RFC 5965 §3).
 */
export function parseFieldBlocks(text: string): Fields[] {
  const blocks: Map<string, string[]>[] = [];
  let block: Map<string, string[]> | undefined;
  let last: { values: string[]; index: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      block = undefined;
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      // A continuation line outside any field (a stray indented line) is dropped.
      if (last) last.values[last.index] = `${last.values[last.index] ?? ''} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    if (!block) {
      block = new Map();
      blocks.push(block);
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = block.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    block.set(name, values);
    last = { values, index: values.length - 1 };
  }
  return blocks;
}

/** The header section of a message (or of text/rfc822-headers): the fields up to the first blank line. */
export function parseHeaderSection(text: string): Fields {
  const end = text.search(/\r?\n\r?\n/);
  return parseFieldBlocks(end < 0 ? text : text.slice(0, end))[0] ?? new Map();
}

/** The first value of a field, if present and not empty. */
export function fieldOf(fields: Fields | undefined, name: string): string | undefined {
  const value = fields?.get(name)?.[0];
  return value ? value : undefined;
}

/**
 * The address of a typed-address field (`rfc822; ada@example.net`, RFC 3464
 * §2.3.2), or the value itself when it has no type. Undefined for address
 * types that are not mail addresses (`x400;` and the like).
 */
export function typedAddress(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const semicolon = value.indexOf(';');
  if (semicolon < 0) return value.trim();
  const type = value.slice(0, semicolon).trim().toLowerCase();
  // utf-8 is RFC 6533's type for internationalised addresses.
  return type === 'rfc822' || type === 'utf-8' ? value.slice(semicolon + 1).trim() : undefined;
}
