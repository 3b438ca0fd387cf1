import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and tmux tests are heavy on 2 cores: keep files in one pool of two workers.
    maxWorkers: 2,
    // Verification runs of the tests keep their reports here, not in the checkout's .labdeck/verify
    // (which `labdeck build` reads by default).
    env: { LABDECK_VERIFY_DIR: join(tmpdir(), `labdeck-test-verify-${process.pid}`) },
  },
});
