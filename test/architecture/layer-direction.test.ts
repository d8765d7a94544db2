// DESIGN.md's layers: a module imports only from its own layer or the layers above it, so data and
// dependencies flow one way (a channel may use the warehouse; the warehouse never imports a channel).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../../src');

/** Top-level folders of src/ by layer, top first. `shared` and `config` serve every layer. */
const layers: Record<string, number> = {
  shared: 0,
  config: 0,
  feeds: 1,
  demo: 1,
  warehouse: 2,
  metrics: 3,
  analysis: 3,
  mining: 3,
  segments: 3,
  profiles: 3,
  anomalies: 3,
  access: 3,
  customers: 3,
  campaigns: 4,
  stream: 4,
  alerts: 4,
  channels: 4,
  cluster: 4,
  cli: 5,
  api: 5,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const importPattern = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

test('every folder of src/ has a layer', () => {
  const folders = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
  assert.deepEqual(
    folders.filter((f) => !(f in layers)),
    [],
    'add new top-level folders to the layer table here and in DESIGN.md',
  );
});

test('imports go only to the same layer or the layers above it', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(root)) {
    const from = relative(root, file).split('/')[0]!;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const target = resolve(dirname(file), match[1] ?? match[2]!);
      const to = relative(root, target).split('/')[0]!;
      if (to.startsWith('..')) continue;
      if ((layers[to] ?? 99) > (layers[from] ?? -1)) {
        violations.push(
          `${relative(root, file)} (${from}, layer ${layers[from]}) imports ${relative(root, target)} (${to}, layer ${layers[to]})`,
        );
      }
    }
  }
  assert.deepEqual(violations, []);
});
