import { ErrorEnvelope } from '@mailq/contracts';
import { resolver } from 'hono-openapi';
import type * as v from 'valibot';

/** A JSON response described by a valibot schema, for `describeRoute`. */
export function jsonResponse(schema: v.GenericSchema, description: string) {
  return { description, content: { 'application/json': { schema: resolver(schema) } } };
}

/** The error answers most authenticated routes can give. */
export const COMMON_ERRORS = {
  400: jsonResponse(ErrorEnvelope, 'Invalid request'),
  401: jsonResponse(ErrorEnvelope, 'Missing or invalid API key'),
  503: jsonResponse(ErrorEnvelope, 'Storage unavailable; retry later'),
};

export const NOT_FOUND = { 404: jsonResponse(ErrorEnvelope, 'Not found') };
