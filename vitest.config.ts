import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and tmux tests are heavy on 2 cores: keep files in one pool of two workers.
    maxWorkers: 2,
  },
});
