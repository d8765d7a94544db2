// Issue 16: `telmark rules` runs from one bundled file (src/cli/rules-main.ts, scripts/bundle-rules-command.mjs).
// The bundle must say byte for byte what the full command line says, and carry everything a basket
// file needs: its only static imports are node's builtins, and its lazy imports (the warehouse's
// baskets, the configuration) point into dist/ beside it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateSyntheticBaskets } from '../../src/mining/rules/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'telmark-rules-bundle-'));
const outdir = join(scratch, 'dist');
const bundle = join(outdir, 'cli', 'rules-bundle.js');
const baskets = join(scratch, 'baskets.csv');
after(() => rmSync(scratch, { recursive: true, force: true }));

before(() => {
  const script = `import { bundleRulesCommand } from ${JSON.stringify(join(root, 'scripts', 'bundle-rules-command.mjs'))};
await bundleRulesCommand({ source: ${JSON.stringify(join(root, 'src'))}, outdir: ${JSON.stringify(outdir)} });`;
  const built = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const set = generateSyntheticBaskets({ baskets: 400, items: 30, seed: 7 });
  const lines: string[] = [];
  for (let b = 0; b < set.basketCount; b++) {
    const names: string[] = [];
    for (let k = set.offsets[b]!; k < set.offsets[b + 1]!; k++) names.push(set.itemNames[set.items[k]!]!);
    lines.push(names.join(','));
  }
  writeFileSync(baskets, `${lines.join('\n')}\n`);
});

function run(entry: string[], args: string[]) {
  const result = spawnSync(process.execPath, [...entry, ...args], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, TELMARK_TSX: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the rules bundle', () => {
  it('imports only node builtins at its top, and keeps the warehouse path a lazy import into dist/', () => {
    const text = readFileSync(bundle, 'utf8');
    const staticImports = [...text.matchAll(/^import .* from ["']([^"']+)["'];?$/gm)].map((m) => m[1]);
    assert.ok(staticImports.length > 0);
    assert.deepEqual(
      staticImports.filter((name) => !name!.startsWith('node:')),
      [],
    );
    const lazy = [...text.matchAll(/await import\(["']([^"']+)["']\)/g)].map((m) => m[1]).sort();
    // ./lazy-context.js: the ClickHouse cluster, opened only for `--baskets-from` on a cluster.
    assert.deepEqual(lazy, [
      '../mining/rules/warehouse-baskets.js',
      '../warehouse/index.js',
      './context.js',
      './lazy-context.js',
    ]);
  });

  for (const args of [
    ['rules', '--baskets', 'baskets.csv', '--min-support', '0.02', '--format', 'csv'],
    ['--format', 'json', 'rules', '--baskets', 'baskets.csv', '--min-support', '0.05', '--min-confidence', '0.3'],
    ['rules', '--baskets', 'baskets.csv', '--min-support', '0.05', '--limit', '7'],
    ['rules', '--help'],
    ['rules', '--baskets', 'baskets.csv', '--min-support', '2'],
    ['rules', '--baskets', 'missing.csv'],
    ['rules', '--no-such-option'],
  ])
    it(`says what the full command line says: telmark ${args.join(' ')}`, () => {
      const full = run([join(root, 'bin', 'telmark.js')], args);
      const bundled = run([bundle], args);
      assert.deepEqual(bundled, full);
    });
});
