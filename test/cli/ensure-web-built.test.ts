// `telmark serve` and `telmark demo` build the dashboard when it is missing or older than its
// sources, and leave a fresh build alone. A tiny Vite project stands in for web/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureWebBuilt } from '../../src/cli/ensure-web-built.ts';

describe('ensureWebBuilt', () => {
  const project = mkdtempSync(join(tmpdir(), 'telmark-web-'));
  after(() => rmSync(project, { recursive: true, force: true }));
  mkdirSync(join(project, 'src'));
  writeFileSync(
    join(project, 'index.html'),
    '<!doctype html><html><head><title>tiny</title></head><body><script type="module" src="/src/main.js"></script></body></html>\n',
  );
  writeFileSync(join(project, 'src', 'main.js'), "document.title = 'first';\n");
  writeFileSync(join(project, 'vite.config.ts'), "export default { build: { outDir: 'dist', emptyOutDir: true } };\n");
  const webRoot = join(project, 'dist');

  it('builds a missing dashboard, says so, and leaves a fresh one alone', async () => {
    const notes: string[] = [];
    assert.equal(await ensureWebBuilt({ webRoot, note: (t) => notes.push(t) }), 'built');
    assert.ok(existsSync(join(webRoot, 'index.html')));
    assert.match(notes.join('\n'), /building the web dashboard/);
    assert.match(notes.join('\n'), /built in/);
    const again: string[] = [];
    assert.equal(await ensureWebBuilt({ webRoot, note: (t) => again.push(t) }), 'fresh');
    assert.deepEqual(again, []);
  });

  it('rebuilds when a source is newer than the build', async () => {
    writeFileSync(join(project, 'src', 'main.js'), "document.title = 'second';\n");
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(project, 'src', 'main.js'), later, later);
    const notes: string[] = [];
    assert.equal(await ensureWebBuilt({ webRoot, note: (t) => notes.push(t) }), 'built');
    assert.match(notes.join('\n'), /older than its sources/);
    const assets = readFileSync(join(webRoot, 'index.html'), 'utf8');
    assert.match(assets, /assets\//);
  });
});
