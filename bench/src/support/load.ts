import autocannon from 'autocannon';
import { Agent, request } from 'node:http';
import { nowMs } from './clock';

export interface LoadOptions {
  url: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  /** Several header sets (e.g. one API key per tenant): each connection cycles through them. */
  headersList?: Array<Record<string, string>>;
  connections: number;
  /** Run for this long… */
  durationS?: number;
  /** …or until this many requests are answered. */
  amount?: number;
}

export interface LoadResult {
  /** 2xx answers. */
  ok: number;
  /** Requests sent, answered or not when the run ended: the work the server was given. */
  sent: number;
  /** 2xx answers per second over the run. */
  rate: number;
  durationS: number;
  non2xx: number;
  errors: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * Closed-loop HTTP load with autocannon: `connections` keep-alive connections,
 * each sending its next request as soon as the previous is answered. Only 2xx
 * answers count; any other answer or error is reported with the figure.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url + options.path,
    method: 'POST',
    body: options.body,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.headersList
      ? {
          requests: options.headersList.map((headers) => ({
            method: 'POST' as const,
            path: options.path,
            body: options.body,
            headers: { 'content-type': 'application/json', ...headers },
          })),
        }
      : {}),
    connections: options.connections,
    pipelining: 1,
    timeout: 30,
    // autocannon notices the end of a run only when it takes a sample (every second by
    // default): a 10-request run would last a second and report a one-second duration.
    sampleInt: 50,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationS ?? 5 }),
  });
  return {
    ok: result['2xx'],
    sent: result.requests.sent,
    rate: result['2xx'] / result.duration,
    durationS: result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}

export interface OpenLoopOptions {
  url: string;
  path: string;
  /** The body of the i-th request. */
  bodyFor(i: number): string;
  headers: Record<string, string>;
  /** Requests per second, started on schedule whatever the answers (no coordinated omission). */
  rate: number;
  durationS: number;
  /** Keep-alive sockets available (requests queue on the agent beyond that). */
  sockets: number;
}

/** One request of an open-loop run; times from clock.ts. */
export interface Sent {
  scheduledAt: number;
  answeredAt: number;
  status: number;
  /** `id` of the 2xx answer. */
  id: string;
}

/**
 * Open-loop load at a fixed rate: request i is sent at start + i/rate,
 * and its latency is measured from that scheduled time, so a stall shows as
 * latency instead of silently lowering the offered rate.
 */
export async function openLoop(options: OpenLoopOptions): Promise<Sent[]> {
  const target = new URL(options.url + options.path);
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  const total = Math.round(options.rate * options.durationS);
  const results: Promise<Sent>[] = [];
  const start = nowMs() + 20;
  const send = (i: number, scheduledAt: number): Promise<Sent> =>
    new Promise((resolve) => {
      const body = options.bodyFor(i);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...options.headers,
          },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (data += chunk));
          res.on('end', () => {
            const answeredAt = nowMs();
            let id = '';
            try {
              id = String((JSON.parse(data) as { id?: unknown }).id ?? '');
            } catch {
              // A non-JSON answer is reported through its status.
            }
            resolve({ scheduledAt, answeredAt, status: res.statusCode ?? 0, id });
          });
        },
      );
      req.on('error', () => resolve({ scheduledAt, answeredAt: nowMs(), status: 0, id: '' }));
      req.end(body);
    });
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor(((nowMs() - start) / 1000) * options.rate) + 1);
      for (; next < due; next++) results.push(send(next, start + (next * 1000) / options.rate));
      if (next >= total) resolve();
      else setTimeout(tick, 1);
    };
    setTimeout(tick, 20);
  });
  const sent = await Promise.all(results);
  agent.destroy();
  return sent;
}
