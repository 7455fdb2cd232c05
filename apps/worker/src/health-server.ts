import type { RedisClient } from '@mailq/queues';
import type { Queue, Worker } from 'bullmq';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthReport {
  status: 'ok' | 'unavailable' | 'wedged';
  redis: { ok: boolean; detail?: string };
  /** Jobs finished by this process in the last minute, per queue. */
  completedLastMinute: Record<string, number>;
  failedLastMinute: Record<string, number>;
  /** Email jobs waiting to be picked up (all partitions). */
  emailWaiting?: number;
  secondsSinceLastProgress: number | null;
}

/**
 * Counts what the process finishes, so health can say "making progress"
 * rather than merely "alive": a worker whose queues have work waiting but
 * which has finished nothing for `stallAfterMs` is wedged (the failure mode of
 * BullMQ workers that stop consuming after a Redis failover while the process
 * looks fine), and its orchestrator should restart it.
 */
export class ProgressMonitor {
  private readonly finished: Array<{ at: number; queue: string; ok: boolean }> = [];
  private lastProgress: number | null = null;
  /** Last time an email job finished: what "moving" means when email is waiting. */
  private lastEmailProgress: number | null = null;
  private readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  watch(queue: string, worker: Worker): void {
    worker.on('completed', () => this.record(queue, true));
    worker.on('failed', () => this.record(queue, false));
  }

  async report(redis: RedisClient, emailQueues: Queue[], stallAfterMs: number): Promise<HealthReport> {
    const now = this.now();
    while (this.finished.length > 0 && (this.finished[0]?.at ?? now) < now - 60_000) this.finished.shift();
    const count = (ok: boolean) =>
      this.finished
        .filter((f) => f.ok === ok)
        .reduce<Record<string, number>>((acc, f) => ({ ...acc, [f.queue]: (acc[f.queue] ?? 0) + 1 }), {});
    const base = {
      completedLastMinute: count(true),
      failedLastMinute: count(false),
      secondsSinceLastProgress:
        this.lastProgress === null ? null : Math.round((now - this.lastProgress) / 1000),
    };
    try {
      await withTimeout(redis.ping(), 2_000);
      const waiting = (
        await Promise.all(emailQueues.map((q) => withTimeout(q.getWaitingCount(), 2_000)))
      ).reduce((a, b) => a + b, 0);
      const idleFor = now - (this.lastEmailProgress ?? this.startedAt);
      const wedged = waiting > 0 && idleFor > stallAfterMs;
      return { status: wedged ? 'wedged' : 'ok', redis: { ok: true }, emailWaiting: waiting, ...base };
    } catch (error) {
      return { status: 'unavailable', redis: { ok: false, detail: String(error) }, ...base };
    }
  }

  private record(queue: string, ok: boolean): void {
    const at = this.now();
    this.finished.push({ at, queue, ok });
    this.lastProgress = at;
    if (queue === 'email') this.lastEmailProgress = at;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Prometheus text of the process's metrics, and its content type (telemetry-node's `startMetrics`). */
export interface MetricsSource {
  text(): Promise<string>;
  contentType: string;
}

/**
 * `GET /healthz` (liveness: 503 only when the worker is wedged, so the
 * orchestrator restarts it) and `GET /readyz` (Redis reachable and work
 * moving: 503 when Redis is away or the worker is wedged), for Kubernetes probes; the body is the {@link HealthReport}. With `metrics`,
 * also `GET /metrics` for Prometheus.
 */
export async function startHealthServer(
  port: number,
  host: string,
  report: () => Promise<HealthReport>,
  metrics?: MetricsSource,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/healthz') {
      // Liveness fails only for a wedged worker, which a restart cures. A Redis outage is not
      // the process's fault: restarting every worker then would only add a reconnect storm.
      report().then(
        (body) =>
          res
            .writeHead(body.status === 'wedged' ? 503 : 200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ status: body.status === 'wedged' ? 'wedged' : 'ok' })),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    if (req.url === '/metrics' && metrics) {
      metrics.text().then(
        (text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    if (req.url !== '/readyz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found"}}');
      return;
    }
    report().then(
      (body) =>
        res
          .writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
          .end(JSON.stringify(body)),
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
