// Jest in ESM mode (NestJS 12 and jose 6 are ESM-only): SWC compiles TypeScript with decorator
// metadata, `.js` suffixes of relative imports are stripped, `@tessera/*` maps to the libs' sources.
import { readFileSync } from 'node:fs';

const { compilerOptions } = JSON.parse(readFileSync(new URL('./tsconfig.base.json', import.meta.url), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([name, [target]]) => [`^${name}$`, `<rootDir>/${target}`]),
);

const shared = {
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  moduleNameMapper: { ...aliases, '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  // Global only: Jest ignores testTimeout inside a project. Black-box suites start real processes.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // test/bench: the benchmark's own arithmetic (plain ESM JavaScript, loaded as is).
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/apps/server/**/*.spec.ts',
        '<rootDir>/deploy/**/*.spec.ts',
        '<rootDir>/tools/**/*.spec.ts',
        '<rootDir>/test/bench/**/*.spec.mjs',
      ],
    },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
