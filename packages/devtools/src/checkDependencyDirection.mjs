#!/usr/bin/env node
// Dependencies point one way: apps depend on packages, never the reverse (tests and benches included).
// Fails, naming the file and line, when a package declares or imports an app.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];

function workspaces(folder) {
  return readdirSync(join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(root, folder, entry.name);
      try {
        return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
      } catch {
        return undefined;
      }
    })
    .filter(Boolean);
}

const apps = workspaces('apps');
const appNames = new Set(apps.map((app) => app.manifest.name));
const appsDir = join(root, 'apps') + sep;
const isApp = (specifier) =>
  [...appNames].some((name) => specifier === name || specifier.startsWith(`${name}/`));
const problems = [];

for (const pkg of workspaces('packages')) {
  const manifestPath = relative(root, join(pkg.dir, 'package.json'));
  for (const field of DEPENDENCY_FIELDS) {
    for (const name of Object.keys(pkg.manifest[field] ?? {})) {
      if (appNames.has(name)) problems.push(`${manifestPath}: ${field} names the app ${name}`);
    }
  }
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '.'], {
    cwd: pkg.dir,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => SOURCE.test(file));
  for (const file of files) {
    const path = join(pkg.dir, file);
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1];
      const intoApps = specifier.startsWith('.') && resolve(dirname(path), specifier).startsWith(appsDir);
      if (!isApp(specifier) && !intoApps) continue;
      const line = text.slice(0, match.index).split('\n').length;
      problems.push(`${relative(root, path)}:${line}: imports ${specifier}, which is an app`);
    }
  }
}

if (problems.length > 0) {
  console.error(
    `packages must not depend on apps (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`dependency direction: ${apps.length} apps, no package depends on one`);
