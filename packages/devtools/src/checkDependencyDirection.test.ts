// The check runs on a fixture monorepo in a temp folder (a git repository: it lists files with git).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';

const CHECK = fileURLToPath(new URL('./checkDependencyDirection.mjs', import.meta.url));
let root: string;

const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const check = () => spawnSync(process.execPath, [CHECK, root], { encoding: 'utf8' });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'll-direction-'));
  execFileSync('git', ['init', '-q'], { cwd: root });
  write('apps/site/package.json', JSON.stringify({ name: '@fixture/site' }));
  write('apps/site/src/index.ts', "import { lib } from '@fixture/lib';\n");
  write('packages/lib/package.json', JSON.stringify({ name: '@fixture/lib' }));
  write('packages/lib/src/index.ts', 'export const lib = 1;\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('passes when only apps import packages', () => {
  const result = check();
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('1 apps, no package depends on one');
});

it('fails on a package file that imports an app, naming the file and line', () => {
  write('packages/lib/test/site.test.ts', "// a suite\nimport { start } from '@fixture/site';\n");
  // Spelled through a variable, so this file does not itself import an app.
  const intoApps = '../../../apps/site/src/index.js';
  write('packages/lib/bench/run.ts', `const site = await import('${intoApps}');\n`);
  const result = check();
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('packages must not depend on apps (2)');
  expect(result.stderr).toContain('packages/lib/test/site.test.ts:2: imports @fixture/site, which is an app');
  expect(result.stderr).toContain(`packages/lib/bench/run.ts:1: imports ${intoApps}, which is an app`);
});

it('fails on a package manifest that names an app', () => {
  write(
    'packages/lib/package.json',
    JSON.stringify({ name: '@fixture/lib', devDependencies: { '@fixture/site': '*' } }),
  );
  const result = check();
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('packages/lib/package.json: devDependencies names the app @fixture/site');
});
