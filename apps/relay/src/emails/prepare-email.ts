import {
  ApiError,
  MAX_SCHEDULE_AHEAD_MS,
  domainOf,
  type RenderedEmail,
  SendEmailRequest,
  toValidationIssues,
  type TemplateVariables,
} from '@mailq/contracts';
import * as v from 'valibot';
import type { DomainStore } from '@mailq/store';

/** Renders a stored template for a tenant (subject, html, text). */
export interface TemplateRenderer {
  render(
    tenantId: string,
    template: string,
    variables: TemplateVariables,
  ): Promise<{ subject: string; html?: string; text?: string }>;
}

export interface SendPolicy {
  domains: DomainStore;
  templates: TemplateRenderer;
  /** Refuse senders whose domain is not a verified sending domain of the tenant (dev may relax this). */
  requireVerifiedDomain: boolean;
}

/**
 * The checks and rendering a send needs before it is stored: the schedule is
 * within 30 days, the From domain is verified for the tenant (422 otherwise),
 * and a template is rendered into the final subject, html and text — so the
 * stored job holds exactly what will be sent.
 */
export async function prepareEmail(
  policy: SendPolicy,
  tenantId: string,
  email: SendEmailRequest,
  now: Date,
): Promise<RenderedEmail> {
  if (email.scheduled_at && Date.parse(email.scheduled_at) - now.getTime() > MAX_SCHEDULE_AHEAD_MS) {
    throw new ApiError('invalid_request', 'scheduled_at may be at most 30 days ahead.', [
      { path: 'scheduled_at', message: 'at most 30 days ahead' },
    ]);
  }
  if (policy.requireVerifiedDomain) {
    const domain = await policy.domains.findByName(tenantId, domainOf(email.from));
    if (domain?.status !== 'verified') {
      throw new ApiError(
        'domain_not_verified',
        `The sender domain ${domainOf(email.from)} is not a verified sending domain: add it with POST /v1/domains and verify it.`,
      );
    }
  }
  if (email.template === undefined) return { ...email, subject: email.subject ?? '' };
  const { template, variables, ...rest } = email;
  const rendered = { ...rest, ...(await policy.templates.render(tenantId, template, variables ?? {})) };
  // The rendered message must be as valid as one sent directly (non-empty subject, size limits).
  const checked = v.safeParse(SendEmailRequest, rendered);
  if (!checked.success) {
    throw new ApiError(
      'invalid_request',
      `Template ${template} rendered an invalid message.`,
      toValidationIssues(checked.issues),
    );
  }
  return rendered;
}
