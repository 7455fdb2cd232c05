import { bareAddress } from '@mailq/contracts';
import { classifySmtpReply, isSlowDown, type ClassificationRule, type Disposition } from '@mailq/mail';
import type Mail from 'nodemailer/lib/mailer';
import { RouteError, type DeliveryRoute } from './delivery-route';

/** What one SMTP transaction meant for one recipient. */
export interface RecipientOutcome {
  address: string;
  disposition: Disposition;
  /** The server's reply, or what went wrong locally. */
  reply: string;
  /** The server's reply code; absent when no reply came (connection or DNS failure). */
  replyCode?: number;
  /** Why it was classified so (for the timeline). */
  detail: string;
  /** Add the recipient to the tenant's suppression list (hard bounce). */
  suppress: boolean;
  /** The receiver asked us to slow down (421, 4.7.x rate replies). */
  slowDown: boolean;
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  timeoutType?: string;
  message?: string;
  recipient?: string;
}

/**
 * Sends one message to the recipients of one destination through its route,
 * trying the next host (MX) on connection-level failures, and classifies every
 * recipient's result through the classification table.
 */
export async function deliverGroup(
  route: DeliveryRoute,
  domain: string,
  message: Mail.Options,
  recipients: string[],
  rules: ClassificationRule[],
): Promise<RecipientOutcome[]> {
  let hosts;
  try {
    hosts = await route.hostsFor(domain);
  } catch (error) {
    const routeError = error instanceof RouteError ? error : new RouteError(String(error), false);
    return recipients.map((address) => ({
      address,
      disposition: routeError.permanent ? 'bounced' : 'deferred',
      reply: routeError.message,
      detail: routeError.permanent
        ? 'destination cannot receive mail'
        : 'destination lookup failed; will retry',
      suppress: false,
      slowDown: false,
    }));
  }
  let lastError: unknown;
  for (const host of hosts) {
    try {
      const info = await host.transport.sendMail({
        ...message,
        envelope: { ...message.envelope, to: recipients },
      });
      return sortReplies(info, recipients, rules);
    } catch (error) {
      lastError = error;
      // A reply from the server is its answer; only connection trouble moves on to the next MX.
      if (typeof (error as SmtpError).responseCode === 'number') break;
    }
  }
  return recipients.map((address) => fromError(address, lastError, rules));
}

function sortReplies(
  info: { accepted: Array<string | Mail.Address>; response: string; rejectedErrors?: unknown[] },
  recipients: string[],
  rules: ClassificationRule[],
): RecipientOutcome[] {
  const accepted = new Set(
    info.accepted.map((a) => bareAddress(typeof a === 'string' ? a : (a.address ?? ''))),
  );
  const refused = new Map<string, unknown>();
  for (const error of info.rejectedErrors ?? []) {
    const recipient = (error as SmtpError).recipient;
    if (recipient) refused.set(bareAddress(recipient), error);
  }
  return recipients.map((address) => {
    if (accepted.has(address)) {
      return {
        address,
        disposition: 'delivered',
        reply: info.response,
        replyCode: Number(/^\d{3}/.exec(info.response)?.[0] ?? 250),
        detail: 'accepted',
        suppress: false,
        slowDown: false,
      };
    }
    return fromError(address, refused.get(address) ?? { message: 'not acknowledged by the server' }, rules);
  });
}

function fromError(address: string, error: unknown, rules: ClassificationRule[]): RecipientOutcome {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpError;
  if (typeof e.responseCode === 'number') {
    const reply = (e.response ?? e.message ?? '').slice(0, 1000);
    const classified = classifySmtpReply({ code: e.responseCode, text: reply }, rules);
    return {
      address,
      disposition: classified.disposition,
      reply,
      replyCode: e.responseCode,
      detail: `${classified.reason} (rule ${classified.rule})`,
      suppress: classified.suppress,
      slowDown: isSlowDown(classified),
    };
  }
  const reply = `${e.code ?? 'ERROR'}: ${e.message ?? 'unknown error'}`.slice(0, 1000);
  return {
    address,
    disposition: 'deferred',
    reply,
    detail: connectionDetail(e),
    suppress: false,
    slowDown: false,
  };
}

// A connection lost after the transaction began may have lost the server's
// final reply to a message it did accept (RFC 5321 §6.1 warns of exactly this
// duplicate risk). We cannot know, so it is retried with the same Message-ID,
// which lets receivers and filters de-duplicate.
function connectionDetail(e: SmtpError): string {
  const midTransaction =
    (e.code === 'ETIMEDOUT' && e.timeoutType === 'SOCKET_TIMEOUT') ||
    (e.code === 'ECONNECTION' && /closed unexpectedly/i.test(e.message ?? ''));
  return midTransaction
    ? 'ambiguous: connection lost mid-transaction, the message may have arrived; retrying with the same Message-ID'
    : 'connection failed; will retry';
}
