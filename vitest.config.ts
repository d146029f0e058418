import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // Kernel differential tests build real namespaces and wait on real timers (ARP, SYN retries).
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
