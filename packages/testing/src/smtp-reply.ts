/** An SMTP reply a test wants the sink to send, e.g. `{ code: 451, message: 'try later' }`. */
export interface SmtpReply {
  code: number;
  message: string;
}

/** Where in the SMTP conversation a programmed reply applies. */
export type SmtpStage = 'rcpt' | 'data';

/** What a reply function knows about the command being answered. */
export interface SmtpReplyContext {
  stage: SmtpStage;
  /** Recipient address of the RCPT TO command (rcpt stage only). */
  rcpt?: string;
  /** 1-based count of commands of this stage seen since start (or the last clear()). */
  attempt: number;
}

/** Returns the reply to send, or undefined to accept normally (250). */
export type SmtpReplyFn = (ctx: SmtpReplyContext) => SmtpReply | undefined;

/** An Error smtp-server turns into an SMTP reply with `responseCode`. */
export class SmtpReplyError extends Error {
  readonly responseCode: number;

  constructor(reply: SmtpReply) {
    super(reply.message);
    this.name = 'SmtpReplyError';
    this.responseCode = reply.code;
  }
}

/**
 * The sink's programmable behaviour: one-shot failures queued with failNext()
 * take precedence over the replyWith() function, so a test can inject a single
 * hiccup on top of a standing rule.
 */
export class ReplyProgram {
  private fn: SmtpReplyFn | undefined;
  private queued: Record<SmtpStage, SmtpReply[]> = { rcpt: [], data: [] };
  private attempts: Record<SmtpStage, number> = { rcpt: 0, data: 0 };

  replyWith(fn: SmtpReplyFn | undefined): void {
    this.fn = fn;
  }

  failNext(stage: SmtpStage, reply: SmtpReply, times: number): void {
    for (let i = 0; i < times; i++) this.queued[stage].push(reply);
  }

  /** Counts one command of `stage` and decides how to answer it. */
  decide(stage: SmtpStage, rcpt?: string): SmtpReply | undefined {
    const attempt = ++this.attempts[stage];
    const queued = this.queued[stage].shift();
    if (queued) return queued;
    return this.fn?.({ stage, attempt, ...(rcpt === undefined ? {} : { rcpt }) });
  }

  reset(): void {
    this.fn = undefined;
    this.queued = { rcpt: [], data: [] };
    this.attempts = { rcpt: 0, data: 0 };
  }
}
