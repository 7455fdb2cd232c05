/** What an SMTP failure means for the recipients it concerns. */
export interface SmtpOutcome {
  /** `permanent`: a 5xx reply, not retried. `transient`: 4xx, timeout or connection error. */
  kind: 'permanent' | 'transient';
  code?: number;
  /** The server's reply text, or the local error, for the timeline. */
  reply: string;
}

interface NodemailerError {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}

/**
 * Classifies a failed SMTP exchange by its basic reply code (RFC 5321 §4.2.1):
 * 5yz is a permanent failure, 4yz a transient one. Errors without a reply
 * (refused connection, timeout, TLS failure) are transient: the receiver never
 * said no. The full RFC 3463 table arrives with the delivery engine.
 */
export function classifySmtpError(error: unknown): SmtpOutcome {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reply = (e.response ?? e.message ?? String(error)).slice(0, 1000);
  if (code !== undefined && code >= 500 && code < 600) return { kind: 'permanent', code, reply };
  return {
    kind: 'transient',
    ...(code !== undefined ? { code } : {}),
    reply: code ? reply : `${e.code ?? 'error'}: ${reply}`,
  };
}
