import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const libs = ['core', 'database', 'users', 'audit', 'sessions', 'oauth', 'auth', 'admin'];
const alias = Object.fromEntries(
  libs.map((lib) => [
    `@portcullis/${lib}`,
    fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url)),
  ]),
);

// Vite's oxc transform emits the decorator metadata Nest's dependency injection needs.
const oxc = { decorator: { legacy: true, emitDecoratorMetadata: true } };

export default defineConfig({
  oxc,
  resolve: { alias },
  test: {
    projects: [
      {
        oxc,
        resolve: { alias },
        test: { name: 'unit', include: ['{apps,libs}/**/*.spec.ts'], environment: 'node' },
      },
      {
        oxc,
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e-spec.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          setupFiles: ['test/setup/per-file-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
