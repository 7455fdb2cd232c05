import type { AcceptedMessage } from './accepted-message';

interface Pending {
  messages: AcceptedMessage[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent enqueues into one batch: submissions arriving within
 * `windowMs` (or until `maxMessages`) are written together — record writes in
 * parallel, one addBulk (one MULTI) per partition — instead of one round trip
 * each. Every submitter's promise settles only when the whole batch has been
 * acknowledged by Redis, so a 2xx still means "stored"; if the batch fails,
 * every submitter gets the failure (and answers 503).
 */
export class EnqueueCoalescer {
  private pending: Pending[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (messages: AcceptedMessage[]) => Promise<void>,
    private readonly windowMs = 2,
    private readonly maxMessages = 500,
  ) {}

  submit(messages: AcceptedMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
      this.count += messages.length;
      if (this.count >= this.maxMessages) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.count = 0;
    if (batch.length === 0) return;
    this.write(batch.flatMap((p) => p.messages)).then(
      () => batch.forEach((p) => p.resolve()),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  }
}
