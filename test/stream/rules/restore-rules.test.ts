// Which rules a stream starts with when both a rule file and the rule store have some: a page edit
// (or delete) wins over an unchanged file and keeps its version; a changed file wins over older edits.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../../../src/shared/clock.ts';
import { TriggerEngine } from '../../../src/stream/engine/trigger-engine.ts';
import { manageRules } from '../../../src/stream/index.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import { restoreRules } from '../../../src/stream/rules/restore-rules.ts';
import { Warehouse } from '../../../src/warehouse/index.ts';
import { heyuanCells, stationRules } from '../stream-fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'telmark-restore-rules-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const clock = fixedClock('2026-03-01T04:00:00Z');

const twoRules = `${stationRules}
  - id: campus-hello
    where: { geofences: [campus], on: enter }
    message: { text: 欢迎 }
`;

async function startEngine(warehouse: Warehouse, fileText: string): Promise<TriggerEngine> {
  const engine = new TriggerEngine({ cells: heyuanCells(), clock });
  await restoreRules(engine, { warehouse, file: parseRuleText(fileText, 'rules.yaml'), nowIso: '2026-03-01 12:00:00' });
  return engine;
}

describe('rules at the start of a stream', () => {
  it('keeps page edits and deletes over an unchanged file, and applies a changed file as a new version', async () => {
    const warehouse = await Warehouse.open(join(dir, 'rules.duckdb'));
    try {
      const first = await startEngine(warehouse, twoRules);
      assert.deepEqual(
        first.rules.list().map((r) => [r.id, r.version]),
        [
          ['station-114-not-12580', 1],
          ['campus-hello', 1],
        ],
      );
      // Edits through the API while no stream runs (the store alone).
      const rules = manageRules({ warehouse, clock, live: () => undefined });
      const station = first.rules.get('station-114-not-12580')!.definition;
      const edited = await rules.put('station-114-not-12580', { ...station, message: { text: '新文案' } });
      assert.equal(edited.version, 2);
      await rules.remove('campus-hello');
      await rules.put('page-only', { where: { geofences: ['campus'] }, message: { text: '页面新建' } });

      const second = await startEngine(warehouse, twoRules);
      assert.equal(second.rules.get('station-114-not-12580')?.version, 2);
      assert.equal(second.rules.get('station-114-not-12580')?.definition.message.text, '新文案');
      assert.equal(second.rules.get('campus-hello'), undefined, 'deleted on the page, stays deleted');
      assert.equal(second.rules.get('page-only')?.version, 1);

      // A third start with the same file changes nothing; then the operator edits the file's rule.
      const third = await startEngine(warehouse, twoRules);
      assert.equal(third.rules.get('station-114-not-12580')?.version, 2);
      const changedFile = twoRules.replace('拨打12580订票\n', '文件新文案\n');
      const fourth = await startEngine(warehouse, changedFile);
      assert.equal(fourth.rules.get('station-114-not-12580')?.version, 3);
      assert.equal(fourth.rules.get('station-114-not-12580')?.definition.message.text, '文件新文案');
      // Put back after its delete, a rule goes above every version it had.
      assert.equal(
        (await rules.put('campus-hello', { where: { geofences: ['campus'] }, message: { text: 'x' } })).version,
        2,
      );
      const history = await warehouse.all<{ action: string; source: string }>(
        `SELECT action, source FROM stream_rule_changes WHERE rule_id = 'campus-hello' ORDER BY change_id`,
      );
      assert.deepEqual(
        history.map((h) => `${h.source}:${h.action}`),
        ['file:put', 'api:delete', 'api:put'],
      );
    } finally {
      warehouse.close();
    }
  });
});
