// Compiles the TypeScript sources to ESM under dist/ with tsc (decorator metadata included,
// which Nest's dependency injection needs; type checking is `npm run typecheck`), then
// rewrites `@portcullis/<lib>` imports to relative paths so plain `node dist/...` runs.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const outDir = join(root, 'dist');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

async function* javascriptFiles(path) {
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* javascriptFiles(child);
    else if (entry.name.endsWith('.js')) yield child;
  }
}

function rewriteAliases(code, file) {
  return code.replace(
    /(from\s+|import\s*\(\s*|import\s+)(['"])@portcullis\/([a-z-]+)\2/g,
    (_, lead, quote, lib) => {
      let target = relative(dirname(file), join(outDir, 'libs', lib, 'src', 'index.js'))
        .split(sep)
        .join('/');
      if (!target.startsWith('.')) target = `./${target}`;
      return `${lead}${quote}${target}${quote}`;
    },
  );
}

await rm(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
let count = 0;
for await (const file of javascriptFiles(outDir)) {
  const code = await readFile(file, 'utf8');
  const rewritten = rewriteAliases(code, file);
  if (rewritten !== code) await writeFile(file, rewritten);
  count += 1;
}
console.log(`build: ${count} files compiled to dist/`);
