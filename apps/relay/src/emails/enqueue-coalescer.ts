import type { AcceptedMessage } from './accepted-message';

interface Pending {
  messages: AcceptedMessage[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent enqueues into one batch — record writes side by side,
 * one addBulk (one MULTI) per partition — instead of one round trip each.
 * One batch is written at a time: what arrives while it is in flight waits for
 * it and then goes out together (up to `maxMessages`), so batches grow with
 * load on their own and a lone request waits for nothing but the next turn of
 * the event loop. Every submitter's promise settles only when its batch has
 * been acknowledged by Redis, so a 2xx still means "stored"; if the batch
 * fails, every submitter in it gets the failure (and answers 503).
 */
export class EnqueueCoalescer {
  private pending: Pending[] = [];
  private scheduled = false;
  private writing = false;

  constructor(
    private readonly write: (messages: AcceptedMessage[]) => Promise<void>,
    private readonly maxMessages = 500,
  ) {}

  submit(messages: AcceptedMessage[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ messages, resolve, reject });
      this.schedule();
    });
  }

  // Requests read from the network in the same poll phase join one batch: the flush waits for setImmediate.
  private schedule(): void {
    if (this.scheduled || this.writing || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    // Whole submissions only (a request's messages stay together), at least one, up to maxMessages.
    let cut = 1;
    let taken = this.pending[0]?.messages.length ?? 0;
    for (; cut < this.pending.length; cut++) {
      taken += this.pending[cut]?.messages.length ?? 0;
      if (taken > this.maxMessages) break;
    }
    const batch = this.pending.splice(0, cut);
    this.writing = true;
    this.write(batch.flatMap((p) => p.messages))
      .then(
        () => batch.forEach((p) => p.resolve()),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => {
        this.writing = false;
        this.schedule();
      });
  }
}
