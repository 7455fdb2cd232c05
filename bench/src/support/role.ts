/**
 * A role is one part of a benchmark stack (an ingest server, a worker fleet,
 * the SMTP sink) run in a process of its own, so the load generator, the
 * servers and Redis each get their own event loop and their CPU time can be
 * told apart.
 */
export interface Role<TInfo = unknown> {
  /** Sent to the parent once the role is ready (e.g. the URL it listens on). */
  info: TInfo;
  /** Methods the parent may call over IPC; arguments and results are JSON. */
  methods: Record<string, (args: never) => Promise<unknown> | unknown>;
  close(): Promise<void>;
}

/** Module (relative to src/) that exports `start(options): Promise<Role>` for each role name. */
export const ROLE_MODULES = {
  'product-ingest': '../product/product-ingest.ts',
  'product-workers': '../product/product-workers.ts',
  'baseline-add-server': '../baselines/add-server.ts',
  'baseline-noop-server': '../baselines/noop-server.ts',
  'baseline-stock-worker': '../baselines/stock-worker.ts',
  'smtp-sink': './smtp-sink.ts',
} as const;

export type RoleName = keyof typeof ROLE_MODULES;

/** Messages between parent and role process. */
export type RoleRequest = { type: 'call'; method: string; args: unknown } | { type: 'stop' };
export type ToRole = RoleRequest & { id: number };
export type FromRole =
  | { type: 'ready'; info: unknown }
  | { type: 'failed'; error: string }
  | { type: 'result'; id: number; result?: unknown; error?: string };
