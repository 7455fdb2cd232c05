import { ApiError } from '@mailq/contracts';
import { TEMPLATE_NAME_PATTERN } from '@mailq/contracts';

// A cursor is the last name of the previous page, base64url-encoded so callers
// treat it as opaque and the encoding can change without breaking their code.

/** The cursor that continues a listing after `lastName`. */
export function encodeCursor(lastName: string): string {
  return Buffer.from(lastName, 'utf8').toString('base64url');
}

/**
 * The name a cursor continues after.
 *
 * @throws ApiError `invalid_request` for anything `encodeCursor` did not produce.
 */
export function decodeCursor(cursor: string): string {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  // Node decodes base64 leniently; the round trip refuses everything else.
  if (!TEMPLATE_NAME_PATTERN.test(name) || encodeCursor(name) !== cursor) {
    throw new ApiError('invalid_request', 'cursor is not valid', [
      { path: 'cursor', message: 'use next_cursor from a previous page' },
    ]);
  }
  return name;
}
