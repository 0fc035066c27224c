// Checks that a production build holds production code only (issue 10): run after `npm run build`
// by `npm test` and by the Docker build, so CI fails when test support reaches dist/ and so the image.
//   - no spec, spec-support or `testing/` file anywhere under dist/;
//   - every bare import of the server's JavaScript names a Node built-in or a package of
//     package.json "dependencies": the image installs with `npm install --omit=dev`, so anything
//     else (jest, @jest/globals, vitest, fast-check, any devDependency) would be missing there;
//   - every relative import resolves to a file that was built (nothing points into excluded code).
// Usage: node tools/check-dist.mjs [distDir]
import { readFile, readdir, stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FRAMEWORKS = /^(jest|@jest\/.*|vitest|@vitest\/.*|@testing-library\/.*|fast-check|playwright-core|@swc\/jest)$/;
const TEST_FILE = /(^|\/)testing\/|\.(spec|e2e-spec|test|spec-support)\.[cm]?[jt]sx?(\.map)?$/;
const builtins = new Set(builtinModules);

async function* files(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

/** Every module specifier of an ES module: static and dynamic imports, re-exports, require calls. */
function specifiers(code) {
  const found = new Set();
  const patterns = [
    /(?:^|[\s;}])(?:import|export)\s[^'"]*?\sfrom\s*(['"])([^'"\n]+)\1/g,
    /(?:^|[\s;}])import\s*(['"])([^'"\n]+)\1/g,
    /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) found.add(match[2]);
  return found;
}

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function isFile(file) {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * What is wrong with the build in `distDir` (an empty list when nothing is), for the packages
 * `pkg` declares; `checked` counts the server modules read.
 */
export async function distProblems(distDir, pkg) {
  const serverDir = path.join(distDir, 'server');
  const entry = path.join(serverDir, 'apps/server/src/main.js');
  const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
  const devDependencies = new Set(Object.keys(pkg.devDependencies ?? {}));
  if (!(await isFile(entry))) return { problems: [`${path.relative(distDir, entry)} is missing: run \`npm run build\` first`], checked: 0 };
  const problems = [];
  let checked = 0;
  for await (const file of files(distDir)) {
    const rel = path.relative(distDir, file).split(path.sep).join('/');
    if (TEST_FILE.test(rel)) problems.push(`${rel}: test support in a production build`);
    if (!file.startsWith(serverDir + path.sep) || !file.endsWith('.js')) continue;
    checked += 1;
    for (const spec of specifiers(await readFile(file, 'utf8'))) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        if (!(await isFile(path.resolve(path.dirname(file), spec)))) problems.push(`${rel}: imports ${spec}, which the build does not contain`);
        continue;
      }
      const name = spec.startsWith('node:') ? spec : packageOf(spec);
      if (name.startsWith('node:') || builtins.has(name) || dependencies.has(name)) continue;
      if (TEST_FRAMEWORKS.test(name)) problems.push(`${rel}: imports the test framework ${spec}`);
      else if (devDependencies.has(name)) problems.push(`${rel}: imports ${spec}, a devDependency the production image does not install`);
      else problems.push(`${rel}: imports ${spec}, which is no dependency in package.json`);
    }
  }
  return { problems, checked };
}

async function main() {
  const distDir = path.resolve(root, process.argv[2] ?? 'dist');
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const { problems, checked } = await distProblems(distDir, pkg);
  if (problems.length === 0) {
    console.log(`dist/ holds production code only (${checked} server modules checked)`);
    return;
  }
  console.error(`tools/check-dist.mjs: ${problems.length} problem(s) in ${path.relative(root, distDir) || '.'}:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
