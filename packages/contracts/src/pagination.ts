import * as v from 'valibot';

/** `?limit=&cursor=` on every list route; the cursor is opaque to clients. */
export const PageQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'limit must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'limit must be at least 1'),
      v.maxValue(100, 'limit must be at most 100'),
    ),
    '20',
  ),
  cursor: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,400}$/, 'not a cursor from this API'))),
});
export type PageQuery = v.InferOutput<typeof PageQuery>;

/** A page of results: `{data, next_cursor}`; `next_cursor` is null on the last page. */
export function pageOf<TItem extends v.GenericSchema>(item: TItem) {
  return v.object({ data: v.array(item), next_cursor: v.nullable(v.string()) });
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Encodes a cursor as base64url JSON (opaque to clients, easy to validate on the way back). */
export function encodeCursor(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes a cursor made by `encodeCursor`, validated against `schema`; null when it is not one. */
export function decodeCursor<TSchema extends v.GenericSchema>(
  cursor: string,
  schema: TSchema,
): v.InferOutput<TSchema> | null {
  try {
    const json = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const parsed = v.safeParse(schema, JSON.parse(json));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}
