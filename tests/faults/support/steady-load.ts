/** What one request of the load got back. */
export interface LoadOutcome {
  seq: number;
  /** ms since the load started, when the request left and when its answer (or error) came back. */
  sentAt: number;
  answeredAt: number;
  /** HTTP status, or 0 when there was no answer (connection error, timeout). */
  status: number;
  /** The message id of a 2xx answer. */
  id?: string;
}

export interface SteadyLoadOptions {
  /** Ingest base URL; must be loopback, so the load never leaves this machine. */
  url: string;
  apiKey: string;
  /** The JSON body of request number `seq`. */
  body: (seq: number) => unknown;
  ratePerSecond: number;
  durationMs: number;
  /** Requests awaiting an answer at most; a due request beyond that is counted as skipped, not sent. */
  maxInFlight?: number;
  /** A request unanswered after this counts as status 0 (default 30000). */
  requestTimeoutMs?: number;
}

export interface SteadyLoad {
  /** Every answered request so far, in answer order. */
  readonly outcomes: LoadOutcome[];
  /** ms since the load started. */
  elapsed(): number;
  /** Requests not sent because `maxInFlight` were still waiting. */
  skipped(): number;
  /** Ends the load before its duration is over (no new requests; those in flight still count). */
  stop(): void;
  /** Resolves once the duration is over (or stop() was called) and every request has its answer. */
  readonly done: Promise<LoadOutcome[]>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const TICK_MS = 10;

/**
 * A steady sender: `ratePerSecond` single sends to `POST /v1/emails` for
 * `durationMs`, paced against the clock (a slow answer does not slow the
 * offered load), bounded in count (rate × duration) and in concurrency.
 */
export function startSteadyLoad(options: SteadyLoadOptions): SteadyLoad {
  const { url, apiKey, body, ratePerSecond, durationMs } = options;
  if (!LOOPBACK.has(new URL(url).hostname)) throw new Error(`load must target loopback, not ${url}`);
  const maxInFlight = options.maxInFlight ?? 256;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  let total = Math.floor((ratePerSecond * durationMs) / 1000);
  const outcomes: LoadOutcome[] = [];
  const pending = new Set<Promise<void>>();
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let next = 0;
  let skipped = 0;

  const sendOne = async (seq: number): Promise<void> => {
    const sentAt = elapsed();
    // Refused, reset or timed out: the client cannot know, so it is not "accepted" (status 0).
    const answer = await fetch(`${url}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(seq)),
      signal: AbortSignal.timeout(timeoutMs),
    })
      .then(async (response) => ({ status: response.status, text: await response.text() }))
      .catch(() => ({ status: 0, text: '' }));
    const { status } = answer;
    const id = status >= 200 && status < 300 ? (JSON.parse(answer.text) as { id: string }).id : undefined;
    outcomes.push({ seq, sentAt, answeredAt: elapsed(), status, ...(id ? { id } : {}) });
  };

  const done = new Promise<LoadOutcome[]>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor((elapsed() * ratePerSecond) / 1000));
      for (; next < due; next++) {
        if (pending.size >= maxInFlight) {
          skipped++;
          continue;
        }
        const request = sendOne(next).finally(() => pending.delete(request));
        pending.add(request);
      }
      if (next >= total) {
        clearInterval(timer);
        void Promise.all(pending).then(() => resolve(outcomes));
      }
    }, TICK_MS);
  });
  const stop = () => {
    total = Math.min(total, next);
  };
  return { outcomes, elapsed, skipped: () => skipped, stop, done };
}

/** The ids the ingest answered 2xx for: what the platform promised to deliver. */
export function acceptedIds(outcomes: LoadOutcome[]): string[] {
  return outcomes.flatMap((o) => (o.id !== undefined ? [o.id] : []));
}
