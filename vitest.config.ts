import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        // Pure logic: no Redis, no server, no browser.
        extends: true,
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        // The real app on port 0 against a real redis-server the setup starts.
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/redis-server.ts"],
        },
      },
      {
        // Real Redis topologies (a 6-node Redis Cluster, a primary + replica + 3 Sentinels) with
        // failovers: slow, so only `npm run test:cluster` runs them (not the default `npm test`).
        extends: true,
        test: {
          name: "cluster",
          include: ["tests/cluster/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One topology at a time on a small machine: failover timings suffer from a neighbour.
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
      {
        // Real Chromium against the built web app: build it first when it is stale.
        extends: true,
        test: {
          name: "browser",
          include: ["tests/e2e/**/*.test.ts"],
          // A hang guard, not a speed check: rendering 30 labels to PDF takes ~13 s on an idle
          // 2-core machine and more than 30 s when it is busy.
          testTimeout: 90_000,
          hookTimeout: 60_000,
          globalSetup: ["tests/setup/redis-server.ts", "tests/setup/build-client.ts"],
        },
      },
    ],
  },
});
