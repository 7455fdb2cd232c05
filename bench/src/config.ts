/** Sizes and durations of one run of the suite. */
export interface BenchConfig {
  quick: boolean;
  /** Rounds per figure (medians and spreads are over these). */
  rounds: number;
  /** Keep-alive connections of the closed-loop HTTP load. */
  connections: number;
  /** Seconds of load per round of the ingest scenarios, and of warm-up before the first. */
  ingestSeconds: number;
  warmupSeconds: number;
  batchSize: number;
  /** Messages per round of the end-to-end scenario, and its rounds (also the latency scenario's). */
  endToEndMessages: number;
  deliveryRounds: number;
  /** Seconds of open-loop load in the latency scenario, and the fraction of peak it offers. */
  latencySeconds: number;
  latencyFraction: number;
  /** Backlog of the memory and drain figures, the small backlog drain is compared with, payload sizes. */
  backlog: number;
  smallBacklog: number;
  memorySizes: number[];
  /** Messages delivered during the drain-rate window at the large backlog. */
  drainWindow: number;
  /** Messages delivered for the per-message Redis command counts; the MONITOR attribution sample. */
  commandMessages: number;
  monitorMessages: number;
  idleSeconds: number;
  clusterMessages: number;
  clusterTenants: number;
  clusterPartitions: number;
  /** Bare BullMQ jobs whose commands, and queued jobs whose memory, scenario 8 measures. */
  floorJobs: number;
  floorMemoryJobs: number;
}

export const FULL: BenchConfig = {
  quick: false,
  rounds: 5,
  connections: 64,
  ingestSeconds: 4,
  warmupSeconds: 2,
  batchSize: 100,
  endToEndMessages: 2_000,
  deliveryRounds: 3,
  latencySeconds: 8,
  latencyFraction: 0.5,
  backlog: 100_000,
  smallBacklog: 1_000,
  memorySizes: [500, 1_500, 4_000],
  drainWindow: 8_000,
  commandMessages: 1_500,
  monitorMessages: 200,
  idleSeconds: 30,
  clusterMessages: 2_000,
  clusterTenants: 8,
  clusterPartitions: 3,
  floorJobs: 3_000,
  floorMemoryJobs: 20_000,
};

/** Seconds, small counts: proves the suite still runs (the test line), says nothing about targets. */
export const QUICK: BenchConfig = {
  quick: true,
  rounds: 1,
  connections: 16,
  ingestSeconds: 0.7,
  warmupSeconds: 0.3,
  batchSize: 100,
  endToEndMessages: 150,
  deliveryRounds: 1,
  latencySeconds: 1,
  latencyFraction: 0.5,
  backlog: 1_000,
  smallBacklog: 200,
  memorySizes: [1_500],
  drainWindow: 300,
  commandMessages: 100,
  monitorMessages: 30,
  idleSeconds: 1,
  clusterMessages: 150,
  clusterTenants: 3,
  clusterPartitions: 3,
  floorJobs: 200,
  floorMemoryJobs: 500,
};
