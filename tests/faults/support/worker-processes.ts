import { startMailq, type MailqProcess } from '../../support/mailq-process';
import { prioritise } from './priority';

/**
 * `mailq worker` processes, as an orchestrator runs them, so a scenario can
 * kill -9 one (no handler runs, its jobs stay active under an expiring lock)
 * or SIGTERM it (it drains and exits).
 */
export class WorkerProcesses {
  readonly running: MailqProcess[] = [];
  /** Every process started, including those since killed, for their logs. */
  readonly all: MailqProcess[] = [];
  private readonly names = new Map<MailqProcess, string>();
  private started = 0;

  constructor(private readonly env: () => Record<string, string>) {}

  /** Each worker introduces itself in EHLO by its `name()`, so the sink can tell who delivered what. */
  async start(): Promise<MailqProcess> {
    const ehlo = `fault-worker-${this.started++}`;
    const worker = await startMailq(
      'worker',
      { LOG_LEVEL: 'info', ...this.env(), EHLO_HOSTNAME: ehlo },
      'workers started',
    );
    // Started at normal priority (loading is heavy); then it runs as on a worker host of its own.
    prioritise(worker.child.pid);
    this.names.set(worker, ehlo);
    this.running.push(worker);
    this.all.push(worker);
    return worker;
  }

  /** The EHLO name of a worker. */
  name(worker: MailqProcess): string {
    return this.names.get(worker) ?? '?';
  }

  async startMany(count: number): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.start()));
  }

  /** kill -9 of the oldest running worker; resolves once it is gone. */
  async killOldest(): Promise<void> {
    const victim = this.running.shift();
    if (!victim) throw new Error('no worker running');
    victim.child.kill('SIGKILL');
    await victim.exited;
  }

  /** SIGTERM to the oldest running worker; resolves with its exit code once it has drained. */
  async terminateOldest(): Promise<number | null> {
    const victim = this.running.shift();
    if (!victim) throw new Error('no worker running');
    return victim.stop('SIGTERM');
  }

  /** The last lines any worker printed, to explain a failure. */
  logTail(lines = 20): string {
    return this.all
      .map(
        (w) =>
          `--- ${this.name(w)} (pid ${w.child.pid}) ---\n${w.output().split('\n').slice(-lines).join('\n')}`,
      )
      .join('\n');
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.running.splice(0).map((w) => w.stop('SIGKILL')));
  }
}
