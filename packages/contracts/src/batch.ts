import * as v from 'valibot';
import { ErrorBody } from './errors';
import { LIMITS } from './limits';

/**
 * `POST /v1/emails/batch`: the array is checked here; each item is then
 * validated on its own so one bad item does not refuse the others.
 */
export const BatchRequest = v.pipe(
  v.array(v.unknown(), 'the body must be a JSON array of emails'),
  v.minLength(1, 'a batch needs at least one email'),
  v.maxLength(LIMITS.maxBatchItems, `a batch holds at most ${LIMITS.maxBatchItems} emails`),
);
export type BatchRequest = v.InferOutput<typeof BatchRequest>;

export const BatchItemResult = v.union([
  v.object({ index: v.number(), id: v.string() }),
  v.object({ index: v.number(), error: ErrorBody }),
]);
export type BatchItemResult = v.InferOutput<typeof BatchItemResult>;

export const BatchResponse = v.object({ data: v.array(BatchItemResult) });
export type BatchResponse = v.InferOutput<typeof BatchResponse>;
