// Compiles the server and its libs with SWC (keeps decorator metadata, which NestJS DI needs)
// into dist/server, mirroring the source tree, and rewrites `@tessera/*` imports to relative paths
// so that plain `node` runs the output without a loader.
import { transformFile } from '@swc/core';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist/server');
const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => [name, target.replace(/\.ts$/, '.js')]),
);

// Production code only: no specs, no spec support, and no lib's `src/testing/` folder (the
// `@tessera/<lib>/testing` entry points: test doubles, contract suites, throwaway servers).
// tools/check-dist.mjs verifies the result.
async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(entry.name === 'testing' && path.basename(dir) === 'src')) yield* sources(full);
    } else if (entry.name.endsWith('.ts') && !/\.(spec|e2e-spec|test|spec-support|d)\.ts$/.test(entry.name)) yield full;
  }
}

await rm(outDir, { recursive: true, force: true });
const files = [];
for (const dir of ['apps/server/src', 'libs/server', 'libs/shared']) {
  for await (const file of sources(path.join(root, dir))) files.push(file);
}
await Promise.all(
  files.map(async (file) => {
    const rel = path.relative(root, file);
    const out = path.join(outDir, rel.replace(/\.ts$/, '.js'));
    const { code, map } = await transformFile(file, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'es6' },
      sourceMaps: true,
      sourceFileName: path.relative(path.dirname(out), file),
    });
    const rewritten = code.replace(/(from\s+|import\s*\(\s*)(['"])(@tessera\/[a-z-]+)\2/g, (match, lead, quote, spec) => {
      const target = aliases[spec];
      if (!target) throw new Error(`${rel}: unknown import ${spec}`);
      let relTarget = path.relative(path.dirname(out), path.join(outDir, target));
      if (!relTarget.startsWith('.')) relTarget = `./${relTarget}`;
      return `${lead}${quote}${relTarget}${quote}`;
    });
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${rewritten}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
    await writeFile(`${out}.map`, map ?? '');
  }),
);
console.log(`built ${files.length} files into ${path.relative(root, outDir)}`);
