import type {
  Page,
  PageQuery,
  Principal,
  Suppression,
  SuppressionInput,
  SuppressionsPort,
} from '@mailq/contracts';
import type { SuppressionStore } from '@mailq/store';
import { durably } from './storage-errors';

/** `/v1/suppressions`: the tenant's list of addresses never to send to. */
export class SuppressionService implements SuppressionsPort {
  constructor(
    private readonly store: SuppressionStore,
    private readonly now: () => Date,
  ) {}

  list(principal: Principal, query: PageQuery): Promise<Page<Suppression>> {
    return durably(() => this.store.list(principal.tenantId, query.limit, query.cursor));
  }

  add(principal: Principal, input: SuppressionInput): Promise<Suppression> {
    const entry: Suppression = {
      email: input.email,
      reason: input.reason,
      source: 'api',
      ...(input.detail ? { detail: input.detail } : {}),
      created_at: this.now().toISOString(),
    };
    return durably(() => this.store.add(principal.tenantId, entry));
  }

  remove(principal: Principal, email: string): Promise<boolean> {
    return durably(() => this.store.remove(principal.tenantId, email.toLowerCase()));
  }
}
