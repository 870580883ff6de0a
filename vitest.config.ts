import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const libs = ['core', 'database', 'users', 'audit', 'sessions', 'oauth', 'auth'];
const alias = Object.fromEntries(
  libs.map((lib) => [
    `@portcullis/${lib}`,
    fileURLToPath(new URL(`./libs/${lib}/src/index.ts`, import.meta.url)),
  ]),
);

// SWC (not esbuild) compiles the tests, because Nest's dependency injection needs decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' } })];

export default defineConfig({
  plugins,
  resolve: { alias },
  test: {
    projects: [
      {
        plugins,
        resolve: { alias },
        test: { name: 'unit', include: ['{apps,libs}/**/*.spec.ts'], environment: 'node' },
      },
      {
        plugins,
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
