import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/telmark.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/orange/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'telmark-mining-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function telmark(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mining commands', () => {
  it('telmark rules prints rules sorted by lift as csv or json', () => {
    const baskets = join(dir, 'baskets.txt');
    writeFileSync(baskets, 'bread, milk\nbread,butter,milk\nbeer,chips\nbeer,chips,milk\nbread,butter\n');
    const csv = telmark(
      'rules',
      '--baskets',
      baskets,
      '--min-support',
      '0.4',
      '--min-confidence',
      '0.6',
      '--format',
      'csv',
    );
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'lhs,rhs,support,confidence,lift,leverage,conviction,count,lhs_count,rhs_count');
    assert.match(lines[1]!, /^(beer,chips|chips,beer),0\.4,1,2\.5,/);
    const json = JSON.parse(telmark('rules', '--baskets', baskets, '--min-support', '0.4', '--format', 'json').stdout);
    assert.ok(Array.isArray(json) && json.length > 0);
    assert.match(telmark('rules', '--baskets', baskets, '--min-support', '0.4').stderr, /5 baskets, 5 items/);
  });

  it('telmark rules refuses bad arguments with exit code 2', () => {
    const result = telmark('rules', '--baskets', 'x.txt', '--min-support', '1.5');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--min-support must be a fraction/);
  });

  it('a --warehouse after train or rules that is neither what they read nor a ClickHouse URL names both meanings', () => {
    const train = telmark('train', '--warehouse', 'chrun');
    assert.equal(train.code, 2);
    assert.match(
      train.stderr,
      /--warehouse "chrun" is neither a model to fit \(churn, cross-sell, segments\) nor a ClickHouse URL/,
    );
    const rules = telmark('rules', '--warehouse', 'holding');
    assert.equal(rules.code, 2);
    assert.match(rules.stderr, /--warehouse "holding" is neither a kind of baskets \(holdings, monthly-usage\)/);
    // A model name given with --models still goes to the models' own check.
    assert.match(
      telmark('train', '--models', 'chrun').stderr,
      /--models \(or --warehouse\) must be churn, cross-sell or segments, not "chrun"/,
    );
  });

  it('telmark train prints json with a top-level auc, saves a model, and telmark score uses it', () => {
    const model = join(dir, 'tree.json');
    const train = telmark(
      'train',
      '--table',
      join(fixtures, 'orange-churn-80.csv'),
      '--target',
      'Churn',
      '--model',
      'tree',
      '--test-table',
      join(fixtures, 'orange-churn-20.csv'),
      '--save',
      model,
      '--format',
      'json',
    );
    assert.equal(train.code, 0, train.stderr);
    const report = JSON.parse(train.stdout);
    assert.ok(report.auc > 0.85);
    assert.ok(report.rules[0].includes('→'));
    assert.equal(report.gain.length, 10);
    const out = join(dir, 'scores.csv');
    const score = telmark('score', '--model', model, '--table', join(fixtures, 'orange-churn-20.csv'), '--out', out);
    assert.equal(score.code, 0, score.stderr);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 668);
    writeFileSync(join(dir, 'other.csv'), 'msisdn,calls\n13800000000,4\n');
    const wrong = telmark('score', '--model', model, '--table', join(dir, 'other.csv'));
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /table has no column/);
  });

  it('telmark segment describes segments', () => {
    const result = telmark(
      'segment',
      '--table',
      join(fixtures, 'orange-churn-20.csv'),
      '--columns',
      'Total day minutes,Voice mail plan',
      '--k',
      '2',
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Voice mail plan = (true|false)/);
  });
});
