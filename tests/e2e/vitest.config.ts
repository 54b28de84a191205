import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Browser tests: one production server (the real `npm start` path, built
// first by `npm test`) on 127.0.0.1, driven by Debian's chromium.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/global-setup.ts"],
    // One server and one browser profile at a time keeps the two cores free.
    fileParallelism: false,
    // Deadlines for a failure on a busy machine, not expectations: a journey
    // waits for several mails and pages (each wait up to 45 s, wait-for.ts).
    // The whole suite takes minutes; .ci/run bounds it well inside CI's 90.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
