import { defineConfig } from 'vitest/config';

// Shared by every workspace's `vitest run`: integration tests start real
// redis-server, Redis Cluster and SMTP processes, so hooks get generous time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', '*.test.ts', '**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
});
