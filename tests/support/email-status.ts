import { waitUntil } from '@mailq/testing';
import type { Platform } from './platform';

export interface EmailView {
  id: string;
  status: string;
  message_id: string;
  scheduled_at?: string;
  recipients: { address: string; status: string; reply?: string }[];
  events: { type: string; at: string; recipient?: string; reply?: string; detail?: string }[];
}

/** GET /v1/emails/:id as the test's tenant A. */
export async function statusOf(platform: Platform, id: string): Promise<EmailView> {
  const response = await platform.getEmail(id);
  if (response.status !== 200) throw new Error(`GET /v1/emails/${id} answered ${response.status}`);
  return (await response.json()) as EmailView;
}

/** Polls until the message reaches `status` (or `predicate` holds). */
export function waitForEmail(
  platform: Platform,
  id: string,
  status: string | ((email: EmailView) => boolean),
  timeoutMs = 15_000,
): Promise<EmailView> {
  const done = typeof status === 'string' ? (e: EmailView) => e.status === status : status;
  return waitUntil(
    async () => {
      const email = await statusOf(platform, id);
      return done(email) ? email : undefined;
    },
    {
      timeoutMs,
      message: `message ${id} never reached ${typeof status === 'string' ? status : 'the expected state'}`,
    },
  );
}

/** Sends and returns the new message id, failing the test on anything but 202. */
export async function sendOk(
  platform: Platform,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await platform.send(body, { headers });
  if (response.status !== 202) throw new Error(`send answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}
