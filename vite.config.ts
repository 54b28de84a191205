import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  // Remix's plugin breaks Vitest ("can't detect preamble"), so tests run without it.
  plugins: [process.env.VITEST ? null : remix(remixConfig), tsconfigPaths()],
  server: { host: "127.0.0.1", port: 3000 },
  // Scripts imported with `?url` (the map's tooltips) are always files: the
  // policy allows scripts from our origin, never a data: address.
  build: { assetsInlineLimit: (file) => (file.endsWith(".js") ? false : undefined) },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
  },
});
