import { randomBytes } from 'node:crypto';
import { ApiError } from '@mailq/contracts';
import { DEFAULT_NAMESPACE, type RedisClient } from '@mailq/queues';
import * as v from 'valibot';
import { applyUpdate, timestampAfter } from './apply-update';
import { decodeCursor, encodeCursor } from './list-cursor';
import { TEMPLATE_LIMITS } from '@mailq/contracts';
import { compileTemplate } from './template-renderer';
import { TEMPLATE_ID_PREFIX, Template, TemplateInput, TemplateUpdate, parseOrThrow } from '@mailq/contracts';
import { CREATE, DELETE, READ_BY_NAME, UPDATE } from './template-scripts';

/** Options of {@link TemplateStore.list}. */
export interface ListTemplatesOptions {
  /** Page size, 1-100 (default 50). */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
}

/** One page of templates, sorted by name. */
export interface TemplatePage {
  data: Template[];
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null;
}

// An update re-reads and retries when another writer changed the template
// between its read and its compare-and-set; more than a few rounds means a
// hot loop of writers, which is an incident, not a request to answer.
const UPDATE_ATTEMPTS = 5;

/**
 * Tenants' templates in Redis: one hash of id → JSON and one name index
 * (name → id) per tenant. Both keys carry the `{tenant:<id>}` hash tag, so
 * every write that touches both is one script in one slot, on Redis and on
 * Redis Cluster alike. A template is found by its id (`tpl_…`) or its name;
 * names never start with `tpl_`, so the two cannot be confused.
 */
export class TemplateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly namespace: string = DEFAULT_NAMESPACE,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Creates a template after checking that every part compiles.
   *
   * @throws ApiError `invalid_request` for invalid input, a template that does
   *   not compile, or a name the tenant already uses.
   */
  async create(tenantId: string, input: TemplateInput): Promise<Template> {
    const valid = parseOrThrow(TemplateInput, input, 'template');
    compileTemplate(valid);
    const at = this.now().toISOString();
    const template: Template = { id: newTemplateId(), ...valid, created_at: at, updated_at: at };
    const created = await this.redis.eval(
      CREATE,
      2,
      ...this.keys(tenantId),
      template.id,
      template.name,
      JSON.stringify(template),
    );
    if (created !== 1) throw nameTaken(template.name);
    return template;
  }

  /** The tenant's template with this id or name, or null (also for another tenant's). */
  async get(tenantId: string, idOrName: string): Promise<Template | null> {
    return (await this.read(tenantId, idOrName))?.template ?? null;
  }

  /**
   * The tenant's templates sorted by name, a page at a time.
   *
   * @throws ApiError `invalid_request` for a limit out of range or a cursor this store did not issue.
   */
  async list(tenantId: string, { limit = 50, cursor }: ListTemplatesOptions = {}): Promise<TemplatePage> {
    if (!Number.isInteger(limit) || limit < 1 || limit > TEMPLATE_LIMITS.maxListLimit) {
      throw new ApiError(
        'invalid_request',
        `limit must be an integer from 1 to ${TEMPLATE_LIMITS.maxListLimit}`,
      );
    }
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const [templatesKey, namesKey] = this.keys(tenantId);
    // Names are ASCII, so comparing code units orders them as bytes: the
    // cursor comparison and the sort agree.
    const names = Object.entries(await this.redis.hgetall(namesKey))
      .filter(([name]) => after === undefined || name > after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const page = names.slice(0, limit);
    const records = page.length > 0 ? await this.redis.hmget(templatesKey, ...page.map(([, id]) => id)) : [];
    // A template deleted between the two reads is left out of its page.
    const data = records.flatMap((raw) => (raw === null ? [] : [parseStored(raw)]));
    const last = page.at(-1);
    return { data, next_cursor: names.length > limit && last ? encodeCursor(last[0]) : null };
  }

  /**
   * Changes the fields given in `patch` (`null` removes html, text or
   * description) after checking that the result compiles.
   *
   * @throws ApiError `not_found` when the tenant has no such template;
   *   `invalid_request` for an invalid patch, a result that does not compile,
   *   or a new name the tenant already uses.
   */
  async update(tenantId: string, idOrName: string, patch: TemplateUpdate): Promise<Template> {
    const valid = parseOrThrow(TemplateUpdate, patch, 'template update');
    for (let attempt = 1; ; attempt++) {
      const found = await this.read(tenantId, idOrName);
      if (!found) throw notFound(idOrName);
      const { raw, template: current } = found;
      const next = applyUpdate(current, valid, timestampAfter(current.updated_at, this.now()));
      compileTemplate(next);
      const args = [next.id, raw, current.name, next.name, JSON.stringify(next)];
      const result = await this.redis.eval(UPDATE, 2, ...this.keys(tenantId), ...args);
      if (result === 'ok') return next;
      if (result === 'taken') throw nameTaken(next.name);
      if (attempt >= UPDATE_ATTEMPTS) {
        throw new Error(`template ${current.id}: changed concurrently ${attempt} times, update abandoned`);
      }
    }
  }

  /** Deletes the tenant's template with this id or name; false when there was none. */
  async delete(tenantId: string, idOrName: string): Promise<boolean> {
    const [templatesKey, namesKey] = this.keys(tenantId);
    const id = isTemplateId(idOrName) ? idOrName : await this.redis.hget(namesKey, idOrName);
    if (id === null) return false;
    return (await this.redis.eval(DELETE, 2, templatesKey, namesKey, id)) === 1;
  }

  private async read(
    tenantId: string,
    idOrName: string,
  ): Promise<{ raw: string; template: Template } | null> {
    const [templatesKey, namesKey] = this.keys(tenantId);
    const raw = isTemplateId(idOrName)
      ? await this.redis.hget(templatesKey, idOrName)
      : await this.redis.eval(READ_BY_NAME, 2, templatesKey, namesKey, idOrName);
    return typeof raw === 'string' ? { raw, template: parseStored(raw) } : null;
  }

  /** The template hash and the name index, in the order the scripts expect them. */
  private keys(tenantId: string): [templates: string, names: string] {
    const tenant = `${this.namespace}:{tenant:${tenantId}}`;
    return [`${tenant}:templates`, `${tenant}:template-names`];
  }
}

function newTemplateId(): string {
  return `${TEMPLATE_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
}

function isTemplateId(idOrName: string): boolean {
  return idOrName.startsWith(TEMPLATE_ID_PREFIX);
}

// Records in Redis outlive deploys: parse them again rather than trust their shape.
function parseStored(raw: string): Template {
  return v.parse(Template, JSON.parse(raw));
}

function notFound(idOrName: string): ApiError {
  return new ApiError('not_found', `template "${idOrName}" not found`);
}

function nameTaken(name: string): ApiError {
  return new ApiError('conflict', `a template named "${name}" already exists`, [
    { path: 'name', message: 'names are unique per tenant' },
  ]);
}
