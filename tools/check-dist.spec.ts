import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { distProblems } from './check-dist.mjs';

const PKG = { dependencies: { '@nestjs/core': '12.5.1', jose: '6.2.18' }, devDependencies: { jest: '30.5.2', 'openid-client': '6.9.0' } };

describe('tools/check-dist.mjs', () => {
  let dist: string;
  const write = (rel: string, code: string) => {
    mkdirSync(path.dirname(path.join(dist, rel)), { recursive: true });
    writeFileSync(path.join(dist, rel), code);
  };

  beforeEach(() => {
    dist = mkdtempSync(path.join(tmpdir(), 'tessera-dist-'));
    write('server/apps/server/src/main.js', "import { NestFactory } from '@nestjs/core';\nimport './app.module.js';\nimport 'node:crypto';\n");
    write('server/apps/server/src/app.module.js', "export { jwtVerify } from 'jose';\nconst later = () => import('./late.js');\n");
    write('server/apps/server/src/late.js', "import { createHash } from 'crypto';\n");
    write('dashboard/index.html', '<!doctype html>');
  });

  afterEach(() => {
    rmSync(dist, { recursive: true, force: true });
  });

  it('passes a build of production code importing only dependencies, built-ins and built files', async () => {
    expect(await distProblems(dist, PKG)).toEqual({ problems: [], checked: 3 });
  });

  it('names test support, test frameworks, devDependencies, unknown packages and imports of files not built', async () => {
    write('server/libs/server/short-lived-state/src/testing/short-lived-state.contract.js', "import { describe } from '@jest/globals';\n");
    write('server/libs/server/tokens/src/fake.spec-support.js', 'export {};\n');
    write('server/libs/server/clock/src/clock.js', "import '../testing/index.js';\nimport { Issuer } from 'openid-client';\nimport 'left-pad';\n");
    const { problems } = await distProblems(dist, PKG);
    expect(problems.sort()).toEqual(
      [
        'server/libs/server/short-lived-state/src/testing/short-lived-state.contract.js: test support in a production build',
        'server/libs/server/short-lived-state/src/testing/short-lived-state.contract.js: imports the test framework @jest/globals',
        'server/libs/server/tokens/src/fake.spec-support.js: test support in a production build',
        'server/libs/server/clock/src/clock.js: imports ../testing/index.js, which the build does not contain',
        'server/libs/server/clock/src/clock.js: imports openid-client, a devDependency the production image does not install',
        'server/libs/server/clock/src/clock.js: imports left-pad, which is no dependency in package.json',
      ].sort(),
    );
  });

  it('refuses to pass a dist/ without the server (nothing built, nothing checked)', async () => {
    rmSync(path.join(dist, 'server'), { recursive: true });
    expect((await distProblems(dist, PKG)).problems).toEqual([expect.stringContaining('is missing: run `npm run build` first')]);
  });
});
