import { defineConfig } from 'vitest/config';

// Unit tests run in Node next to the module they test (`*.test.ts`).
// Browser tests (real models in real Chromium) live in e2e/ and run under Playwright.
// The `source` condition makes workspace packages resolve to their TypeScript sources.
export default defineConfig({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  // Vitest hands ssr.resolve.conditions to Node as --conditions: `import` there would make a CommonJS
  // require() of a dual package (pg -> pg-pool) load its ESM build. Node adds `import` to imports itself.
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'default'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'models/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
