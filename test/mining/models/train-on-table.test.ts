import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../../src/shared/errors.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import { parseModelFile, scoreTable, trainOnTable } from '../../../src/mining/models/index.ts';
import { parseCsvTable } from '../../../src/mining/table/index.ts';

/** A small marketing table: mzone youth who visit music often respond; ids, blanks and yes/no included. */
function responseTable(rows: number, seed: number): string {
  const random = createSeededRandom(seed);
  const lines = ['subscriber_id,brand,age,music_visits,has_crbt,arpu,responded'];
  for (let i = 0; i < rows; i++) {
    const brand = ['gotone', 'easyown', 'mzone'][random.int(3)]!;
    const age = 16 + random.int(30);
    const visits = random.int(10);
    const crbt = random.next() < 0.4 ? 'yes' : 'no';
    const arpu = random.next() < 0.05 ? '' : (20 + random.next() * 150).toFixed(2);
    const likely = brand === 'mzone' && age < 25 && visits >= 4;
    const responded = random.next() < (likely ? 0.8 : 0.02) ? 'yes' : 'no';
    lines.push(`1380000${String(i).padStart(4, '0')},${brand},${age},${visits},${crbt},${arpu},${responded}`);
  }
  return lines.join('\n');
}

const table = parseCsvTable(responseTable(2000, 7), 'responses.csv');

describe('train on any table', () => {
  it('infers column kinds, excludes the id column and finds the planted segment with a readable tree', () => {
    const outcome = trainOnTable(table, {
      target: 'responded',
      model: 'tree',
      seed: 1,
      testFraction: 0.2,
      threshold: 0.5,
    });
    assert.deepEqual(
      outcome.schema.features.map((f) => `${f.name}:${f.kind}`),
      ['brand:categorical', 'age:numeric', 'music_visits:numeric', 'has_crbt:boolean', 'arpu:numeric'],
    );
    assert.deepEqual(outcome.schema.excluded, [{ name: 'subscriber_id', reason: 'id-like' }]);
    assert.equal(outcome.schema.target.positive, 'yes');
    const top = outcome.rules![0]!;
    assert.match(top.text, /brand = mzone/);
    assert.match(top.text, /age < 2[0-9.]+/);
    assert.match(top.text, /music_visits >= [34]/);
    assert.match(top.text, /→ yes, \d+ %, n=\d+$/);
    assert.ok(outcome.report.auc > 0.8);
  });

  for (const model of ['gbdt', 'forest', 'logistic', 'mlp'] as const)
    it(`fits a ${model} model that ranks better than chance, the same for the same seed`, () => {
      const params: Record<string, number> =
        model === 'gbdt' ? { trees: 60 } : model === 'forest' ? { trees: 30 } : model === 'mlp' ? { epochs: 15 } : {};
      const options = { target: 'responded', model, seed: 3, testFraction: 0.25, threshold: 0.5, params };
      const first = trainOnTable(table, options);
      const second = trainOnTable(table, options);
      assert.ok(first.report.auc > 0.75, `${model} AUC ${first.report.auc}`);
      assert.equal(first.report.auc, second.report.auc);
      assert.deepEqual(JSON.stringify(first.modelFile), JSON.stringify(second.modelFile));
    });

  it('runs stratified k-fold cross-validation with the spread of the fold AUCs', () => {
    const outcome = trainOnTable(table, {
      target: 'responded',
      model: 'tree',
      seed: 1,
      testFraction: 0.2,
      folds: 4,
      threshold: 0.5,
    });
    assert.equal(outcome.foldAucs!.length, 4);
    assert.equal(outcome.report.rows, 2000);
    assert.match(outcome.method, /4-fold/);
  });

  it('takes --positive for any two labels', () => {
    const text = responseTable(300, 2).replace(/,yes$/gm, ',taker').replace(/,no$/gm, ',ignorer');
    const outcome = trainOnTable(parseCsvTable(text), {
      target: 'responded',
      model: 'logistic',
      positive: 'taker',
      seed: 1,
      testFraction: 0.2,
      threshold: 0.5,
    });
    assert.deepEqual(outcome.schema.target, { name: 'responded', positive: 'taker', negative: 'ignorer' });
  });

  it('refuses to score a table with a wrong schema, naming the column', () => {
    const outcome = trainOnTable(table, {
      target: 'responded',
      model: 'tree',
      seed: 1,
      testFraction: 0.2,
      threshold: 0.5,
    });
    const model = parseModelFile(JSON.parse(JSON.stringify(outcome.modelFile)));
    const missing = parseCsvTable('subscriber_id,brand,age\n1,mzone,20\n', 'new.csv');
    assert.throws(
      () => scoreTable(model, missing),
      (e: unknown) => isAppError(e) && e.code === 'MODEL_SCHEMA_MISMATCH' && /no column "music_visits"/.test(e.message),
    );
    const words = responseTable(50, 3).replace(/,(\d+),(\d),(yes|no),/g, ',$1,many,$3,');
    assert.throws(
      () => scoreTable(model, parseCsvTable(words, 'new.csv')),
      (e: unknown) =>
        isAppError(e) &&
        e.code === 'MODEL_SCHEMA_MISMATCH' &&
        e.location.line === 2 &&
        e.location.field === 'music_visits',
    );
  });

  it('rejects a target with more than two labels', () => {
    assert.throws(
      () => trainOnTable(table, { target: 'brand', model: 'tree', seed: 1, testFraction: 0.2, threshold: 0.5 }),
      /exactly two labels/,
    );
  });
});
