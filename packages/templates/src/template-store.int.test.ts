import { randomUUID } from 'node:crypto';
import { ApiError } from '@mailq/contracts';
import { connectRedis, type RedisClient } from '@mailq/queues';
import { useRedisServer } from '@mailq/testing';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderTemplate } from './template-renderer';
import type { TemplateInput } from '@mailq/contracts';
import { TemplateStore } from './template-store';

let redis: RedisClient;
let namespace: string;
let store: TemplateStore;
const NOW = new Date('2025-03-01T12:00:00.000Z');

const redisServer = useRedisServer((url) => connectRedis({ kind: 'single', url }, 'producer'));

beforeAll(() => {
  redis = redisServer.client;
});

beforeEach(() => {
  // Each test its own namespace, and a clock that never moves: updates must
  // still get a fresh updated_at.
  namespace = `tpl-test-${randomUUID()}`;
  store = new TemplateStore(redis, namespace, () => NOW);
});

const welcome: TemplateInput = {
  name: 'welcome',
  subject: 'Welcome {{name}}',
  html: '<p>Hi {{name}}</p>',
  text: 'Hi {{name}}',
};

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => new Error('expected an ApiError'),
    (reason: unknown) => reason,
  );
  if (error instanceof ApiError) return error;
  throw error;
}

describe('TemplateStore', () => {
  it('creates a template and finds it by id and by name', async () => {
    const created = await store.create('t1', { ...welcome, description: 'sign-up mail' });
    expect(created).toEqual({
      id: expect.stringMatching(/^tpl_[A-Za-z0-9_-]{16}$/),
      ...welcome,
      description: 'sign-up mail',
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    });
    expect(await store.get('t1', created.id)).toEqual(created);
    expect(await store.get('t1', 'welcome')).toEqual(created);
    expect(await store.get('t1', 'other')).toBeNull();
    expect(await store.get('t1', 'tpl_doesnotexist')).toBeNull();
    expect(await redis.hget(`${namespace}:{tenant:t1}:template-names`, 'welcome')).toBe(created.id);
  });

  it('refuses a second template with the same name, also when created concurrently', async () => {
    await store.create('t1', welcome);
    const error = await apiError(store.create('t1', { ...welcome, subject: 'Other' }));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe('a template named "welcome" already exists');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => store.create('t1', { ...welcome, name: 'race' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await redis.hlen(`${namespace}:{tenant:t1}:templates`)).toBe(2);
  });

  it('refuses a template that does not compile, naming the part, and stores nothing', async () => {
    const error = await apiError(store.create('t1', { ...welcome, html: '<p>{{#if x}}</p>' }));
    expect(error.code).toBe('invalid_request');
    expect(error.issues?.map((issue) => issue.path)).toEqual(['html']);
    expect(error.issues?.[0]?.message).toMatch(/Parse error/);
    expect(await store.get('t1', 'welcome')).toBeNull();
    expect((await apiError(store.create('t1', { ...welcome, name: 'bad name' }))).issues?.[0]?.path).toBe(
      'name',
    );
  });

  it('updates fields, removes one with null and refuses removing both bodies', async () => {
    const created = await store.create('t1', welcome);
    const updated = await store.update('t1', 'welcome', { subject: 'Hello {{name}}', text: null });
    expect(updated).toEqual({
      ...created,
      subject: 'Hello {{name}}',
      text: undefined,
      updated_at: expect.any(String),
    });
    expect('text' in updated).toBe(false);
    expect(updated.updated_at > created.updated_at).toBe(true);
    expect(await store.get('t1', created.id)).toEqual(updated);
    const error = await apiError(store.update('t1', created.id, { html: null }));
    expect(error.message).toBe('a template needs html, text or both');
    expect(
      (await apiError(store.update('t1', created.id, { html: '{{> partial}}' }))).issues?.[0]?.path,
    ).toBe('html');
    expect(await store.get('t1', created.id)).toEqual(updated);
  });

  it('renames, keeping names unique', async () => {
    const a = await store.create('t1', welcome);
    await store.create('t1', { ...welcome, name: 'receipt' });
    const taken = await apiError(store.update('t1', a.id, { name: 'receipt' }));
    expect(taken.message).toBe('a template named "receipt" already exists');
    expect(taken.code).toBe('conflict');
    expect((await store.get('t1', 'welcome'))?.id).toBe(a.id);

    const renamed = await store.update('t1', 'welcome', { name: 'welcome-v2' });
    expect(renamed.name).toBe('welcome-v2');
    expect(await store.get('t1', 'welcome')).toBeNull();
    expect((await store.get('t1', 'welcome-v2'))?.id).toBe(a.id);
    // The old name is free again, and renaming to one's own name is no conflict.
    expect((await store.create('t1', welcome)).name).toBe('welcome');
    expect((await store.update('t1', a.id, { name: 'welcome-v2', subject: 'x' })).subject).toBe('x');
  });

  it('answers not_found for an update of a template that does not exist', async () => {
    const error = await apiError(store.update('t1', 'nothing', { subject: 'x' }));
    expect(error.code).toBe('not_found');
    expect(error.status).toBe(404);
  });

  it('deletes by id or name, freeing the name', async () => {
    const a = await store.create('t1', welcome);
    const b = await store.create('t1', { ...welcome, name: 'receipt' });
    expect(await store.delete('t1', a.id)).toBe(true);
    expect(await store.delete('t1', 'receipt')).toBe(true);
    expect(await store.delete('t1', a.id)).toBe(false);
    expect(await store.delete('t1', 'receipt')).toBe(false);
    expect(await store.get('t1', b.id)).toBeNull();
    expect(await redis.hlen(`${namespace}:{tenant:t1}:template-names`)).toBe(0);
    expect((await store.create('t1', welcome)).id).not.toBe(a.id);
  });

  it("keeps tenants apart: B cannot read, change or delete A's template by id or name", async () => {
    const a = await store.create('tenant-a', welcome);
    for (const ref of [a.id, 'welcome']) {
      expect(await store.get('tenant-b', ref)).toBeNull();
      expect((await apiError(store.update('tenant-b', ref, { subject: 'pwned' }))).code).toBe('not_found');
      expect(await store.delete('tenant-b', ref)).toBe(false);
    }
    expect((await store.list('tenant-b')).data).toEqual([]);
    expect(await store.get('tenant-a', a.id)).toEqual(a);
    // Names are unique per tenant, not globally.
    expect((await store.create('tenant-b', welcome)).id).not.toBe(a.id);
  });

  it('lists by name, a page at a time', async () => {
    for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo'])
      await store.create('t1', { ...welcome, name });
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list('t1', { limit: 2, ...(cursor ? { cursor } : {}) });
      names.push(...page.data.map((t) => t.name));
      cursor = page.next_cursor ?? undefined;
      pages += 1;
      expect(page.next_cursor === null).toBe(names.length === 5);
    } while (cursor);
    expect(pages).toBe(3);
    expect(names).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect((await store.list('t1')).data).toHaveLength(5);
    expect((await store.list('t1', { limit: 5 })).next_cursor).toBeNull();
  });

  it('refuses a cursor it did not issue and a limit out of range', async () => {
    for (const cursor of ['not a cursor', '!!', Buffer.from('a b').toString('base64url')]) {
      expect((await apiError(store.list('t1', { cursor }))).message).toBe('cursor is not valid');
    }
    for (const limit of [0, 101, 2.5]) {
      expect((await apiError(store.list('t1', { limit }))).code).toBe('invalid_request');
    }
  });

  it('renders the updated template after an update, even within the same millisecond', async () => {
    const created = await store.create('t1', welcome);
    expect(renderTemplate(created, { name: 'Ada' }).html).toBe('<p>Hi Ada</p>');
    await store.update('t1', created.id, { html: '<p>Welcome aboard, {{name}}</p>' });
    const current = await store.get('t1', created.id);
    if (!current) throw new Error('template vanished');
    expect(renderTemplate(current, { name: 'Ada' }).html).toBe('<p>Welcome aboard, Ada</p>');
  });
});
