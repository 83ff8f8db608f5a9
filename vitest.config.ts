import { defineConfig } from 'vitest/config';

// Two cores are all a developer machine or CI has: at most two test files run at once, each in its
// own forked process (integration tests spawn clusters and databases; forks keep their handles apart).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['node_modules/**', 'ui/**', 'tests/bench/**'],
    pool: 'forks',
    maxWorkers: 2,
    // Unit tests are fast; integration tests start clusters and real databases in hooks.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
