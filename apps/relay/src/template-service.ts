import {
  ApiError,
  type Page,
  type PageQuery,
  type Principal,
  type Template,
  type TemplateInput,
  type TemplateUpdate,
  type TemplateVariables,
  type TemplatesPort,
} from '@mailq/contracts';
import { renderTemplate, type TemplateStore } from '@mailq/templates';
import type { TemplateRenderer } from './emails/prepare-email';
import { durably } from './storage-errors';

/** `/v1/templates`, and rendering a stored template for a send. */
export class TemplateService implements TemplatesPort, TemplateRenderer {
  constructor(private readonly store: TemplateStore) {}

  create(principal: Principal, input: TemplateInput): Promise<Template> {
    return durably(() => this.store.create(principal.tenantId, input));
  }

  list(principal: Principal, query: PageQuery): Promise<Page<Template>> {
    return durably(() => this.store.list(principal.tenantId, query));
  }

  get(principal: Principal, idOrName: string): Promise<Template | null> {
    return durably(() => this.store.get(principal.tenantId, idOrName));
  }

  update(principal: Principal, idOrName: string, patch: TemplateUpdate): Promise<Template | null> {
    return durably(() => this.store.update(principal.tenantId, idOrName, patch));
  }

  remove(principal: Principal, idOrName: string): Promise<boolean> {
    return durably(() => this.store.delete(principal.tenantId, idOrName));
  }

  async render(tenantId: string, template: string, variables: TemplateVariables) {
    const stored = await durably(() => this.store.get(tenantId, template));
    if (!stored) throw new ApiError('invalid_request', `No template named or with id "${template}".`);
    return renderTemplate(stored, variables);
  }
}
