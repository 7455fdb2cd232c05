import { bareAddress, allRecipients } from '@mailq/contracts';
import { insertOpenPixel, rewriteLinks } from '@mailq/mail';
import type { EmailJob } from '@mailq/queues';
import { isSafeTargetUrl, parseTrackingKeys, signTrackingToken, type TrackingKeys } from '@mailq/signing';

export interface TrackingSettings {
  /** Public base URL of the ingest serving /t/o and /t/c. */
  baseUrl: string;
  keys: TrackingKeys;
}

/** Tracking is on only when both the public URL and the signing keys are configured. */
export function trackingSettings(baseUrl?: string, keys?: string): TrackingSettings | null {
  if (!baseUrl || !keys) return null;
  return { baseUrl: baseUrl.replace(/\/+$/, ''), keys: parseTrackingKeys(keys) };
}

/**
 * Rewrites the HTML of a message for open and click tracking, as the message
 * (or its tenant's default) asks: every http(s) link becomes a signed
 * `/t/c/<token>` URL carrying its target (no database lookup on click), and a
 * 1×1 pixel `/t/o/<token>` is added. Single-recipient messages carry the
 * recipient in their tokens, so events name who opened or clicked.
 */
export async function applyTracking(
  job: EmailJob,
  wants: { opens: boolean; clicks: boolean },
  settings: TrackingSettings,
): Promise<string | undefined> {
  let html = job.email.html;
  if (html === undefined || (!wants.opens && !wants.clicks)) return html;
  const recipients = [...new Set(allRecipients(job.email).map(bareAddress))];
  const base = { m: job.id, t: job.tenantId, ...(recipients.length === 1 ? { r: recipients[0] } : {}) };
  if (wants.clicks) {
    html = await rewriteLinks(html, async (href: string) => {
      // A link too long or odd to sign safely stays as it is, untracked.
      if (!isSafeTargetUrl(href)) return href;
      const token = await signTrackingToken({ k: 'c', ...base, u: href }, settings.keys);
      return `${settings.baseUrl}/t/c/${token}`;
    });
  }
  if (wants.opens) {
    const token = await signTrackingToken({ k: 'o', ...base }, settings.keys);
    html = insertOpenPixel(html, `${settings.baseUrl}/t/o/${token}`);
  }
  return html;
}
