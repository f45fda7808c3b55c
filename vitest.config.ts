import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "engines",
          include: ["packages/engines/*/src/**/*.test.ts"],
        },
      },
    ],
  },
});
