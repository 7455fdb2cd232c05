import type { Logger } from '@mailq/telemetry-node';

/**
 * Runs `steps` in order on SIGINT/SIGTERM (stop taking work first, Redis
 * last), then exits. A second signal or the hard deadline exits at once, so a
 * wedged step can never keep the process alive.
 */
export function onShutdown(
  logger: Logger,
  deadlineMs: number,
  steps: Array<[string, () => Promise<void>]>,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown deadline passed: exiting');
      process.exit(1);
    }, deadlineMs).unref();
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        logger.error({ step: name, err: error }, 'shutdown step failed');
      }
    }
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
