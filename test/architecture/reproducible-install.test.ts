// Installs are reproducible: the committed lock file is in step with package.json, lists the optional
// packages of every platform (without them `npm ci` refuses the lock on a clean clone), and every
// package in it supports the Node version the README promises (no EBADENGINE warnings).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const readJson = (name: string) => JSON.parse(readFileSync(resolve(root, name), 'utf8'));
const manifest = readJson('package.json') as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
interface LockedPackage {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: { node?: string } | string[];
}
const lock = readJson('package-lock.json') as { lockfileVersion: number; packages: Record<string, LockedPackage> };
// semver comes with fastify; it has no type declarations here.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string };
};

test('the lock file is in step with package.json', () => {
  assert.equal(lock.lockfileVersion, 3);
  const locked = lock.packages[''];
  assert.deepEqual(locked?.dependencies, manifest.dependencies);
  assert.deepEqual(locked?.devDependencies, manifest.devDependencies);
});

test("the lock file lists every platform's optional packages", () => {
  const missing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    for (const name of Object.keys(entry.optionalDependencies ?? {})) {
      // npm resolves a dependency next to its dependant first, then at the top.
      if (!lock.packages[`${path}/node_modules/${name}`] && !lock.packages[`node_modules/${name}`]) {
        missing.push(`${name} (for ${path || 'telmark'})`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('every locked package supports the oldest Node the README promises', () => {
  const oldest = semver.minVersion(manifest.engines.node).version;
  const unsupported = Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return range && !semver.satisfies(oldest, range) ? [`${path}@${entry.version} needs node ${range}`] : [];
    });
  assert.deepEqual(unsupported, []);
});

test('CI installs with npm ci', () => {
  assert.match(readFileSync(resolve(root, '.ci/run'), 'utf8'), /^npm ci\b/m);
  assert.match(readFileSync(resolve(root, 'README.md'), 'utf8'), /npm ci && npm start/);
});
