// One place turns values into SQL text (literals, identifiers, times), and every INSERT names its
// columns, so a table that gains a column never shifts values into the wrong place.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { sqlIdentifier, sqlLiteral, sqlTimestamp } from '../../src/warehouse/sql-text.ts';

const src = resolve(import.meta.dirname, '../../src');
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}
const sources = sourceFiles(src).map((path) => ({ name: relative(src, path), text: readFileSync(path, 'utf8') }));

test('literals, identifiers and times become SQL text', () => {
  assert.equal(sqlLiteral("it's"), "'it''s'");
  assert.equal(sqlIdentifier('a"b'), '"a""b"');
  assert.equal(sqlTimestamp(new Date('2026-03-01T08:15:00Z')), '2026-03-01 08:15:00');
  assert.equal(sqlTimestamp(Date.parse('2026-03-01T08:15:00.250Z')), '2026-03-01 08:15:00.250');
});

test('every INSERT names its columns', () => {
  const unnamed = sources.flatMap(({ name, text }) =>
    [...text.matchAll(/INSERT\s+(?:OR\s+\w+\s+)?INTO\s+[\w.${}]+\s+(?!\(|BY NAME)\S+/g)].map((m) => `${name}: ${m[0]}`),
  );
  assert.deepEqual(unnamed, []);
});

test('quoting and times are written in one place', () => {
  const elsewhere = sources
    .filter(({ name }) => name !== 'warehouse/sql-text.ts')
    .filter(
      ({ text }) =>
        text.includes(`replace(/'/g, "''")`) || /toISOString\(\)\.replace\('T', ' '\)\.replace\('Z'/.test(text),
    )
    .map(({ name }) => name);
  assert.deepEqual(elsewhere, []);
});
