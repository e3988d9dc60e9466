import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    // two test files at a time: vitest's default on a 2-core machine is one, and the suite took ~14 min
    // with one (530–600 s with two, in three runs on the 2-core VMs)
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
