// Compiles the TypeScript sources to ESM under dist/ with SWC (decorator metadata included,
// which Nest's dependency injection needs) and rewrites `@portcullis/<lib>` imports to
// relative paths, so plain `node dist/...` runs without a loader. Type checking is `npm run typecheck`.
import { readFile, writeFile, mkdir, rm, readdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { transform } from '@swc/core';

const root = dirname(dirname(new URL(import.meta.url).pathname));
const outDir = join(root, 'dist');
const sources = ['apps', 'libs', 'migrations', 'bench', 'ormconfig.ts'];
const swcOptions = JSON.parse(await readFile(join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

async function* walk(path) {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => null);
  if (entries === null) {
    yield path;
    return;
  }
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* walk(child);
    else yield child;
  }
}

function rewriteAliases(code, outFile) {
  return code.replace(
    /(from\s+|import\s*\(\s*|import\s+)(['"])@portcullis\/([a-z-]+)\2/g,
    (_, lead, quote, lib) => {
      let target = relative(dirname(outFile), join(outDir, 'libs', lib, 'src', 'index.js'))
        .split(sep)
        .join('/');
      if (!target.startsWith('.')) target = `./${target}`;
      return `${lead}${quote}${target}${quote}`;
    },
  );
}

await rm(outDir, { recursive: true, force: true });
let count = 0;
for (const source of sources) {
  for await (const file of walk(join(root, source))) {
    const rel = relative(root, file);
    if (file.endsWith('.d.ts') || /\.(spec|e2e-spec)\.ts$/.test(file)) continue;
    const outFile = join(outDir, rel.replace(/\.ts$/, '.js'));
    await mkdir(dirname(outFile), { recursive: true });
    if (!file.endsWith('.ts')) {
      await writeFile(outFile, await readFile(file));
      continue;
    }
    const { code, map } = await transform(await readFile(file, 'utf8'), {
      ...swcOptions,
      filename: file,
      sourceFileName: relative(dirname(outFile), file),
    });
    await writeFile(
      outFile,
      `${rewriteAliases(code, outFile)}\n//# sourceMappingURL=${outFile.split(sep).pop()}.map\n`,
    );
    if (map) await writeFile(`${outFile}.map`, map);
    count += 1;
  }
}
console.log(`build: ${count} files compiled to dist/`);
