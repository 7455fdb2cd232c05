import type { Platform } from './platform';

/** A JSON call to the platform's API with tenant A's key (or `key`). */
export function apiClient(platform: () => Platform) {
  return (method: string, path: string, body?: unknown, key = platform().keyA) =>
    fetch(platform().url + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}
