import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parseGenerateFlags } from '../../src/cli/generate-flags.ts';
import { feedNames, feeds, parseFeedFileName } from '../../src/feeds/contract.ts';
import { type GenerateOptions, generateDemoOperator } from '../../src/demo/index.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { columnsOf, feedFiles, fieldProblem, readCsv, readFeed } from './demo-files.ts';

const root = mkdtempSync(join(tmpdir(), 'telmark-generate-'));
const small = (outDir: string, seed = 7): GenerateOptions => ({
  outDir,
  subscribers: 1500,
  days: 4,
  start: '2026-03-01',
  seed,
  signallingDays: [3],
  signallingPerSubscriber: 8,
  gzip: false,
});

function digestOf(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('telmark generate', () => {
  const first = join(root, 'first');
  before(async () => {
    await generateDemoOperator(small(first));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the same bytes for the same seed and options', async () => {
    const second = join(root, 'second');
    await generateDemoOperator(small(second));
    assert.deepEqual(digestOf(second), digestOf(first));
  });

  it('writes different data for another seed', async () => {
    const other = join(root, 'other');
    await generateDemoOperator(small(other, 8));
    assert.notEqual(digestOf(other).get('subscribers.csv'), digestOf(first).get('subscribers.csv'));
  });

  it('writes every feed of the contract with file names the contract accepts', () => {
    for (const file of readdirSync(first))
      assert.ok('feed' in parseFeedFileName(file), `${file} breaks the naming contract`);
    for (const feed of feedNames) assert.ok(feedFiles(first, feed).length > 0, `no ${feed} file`);
    assert.equal(feedFiles(first, 'orders').length, 4);
    assert.deepEqual(feedFiles(first, 'signalling'), ['signalling_20260304.csv']);
    assert.deepEqual(feedFiles(first, 'billing'), ['billing_202602.csv', 'billing_202603.csv']);
  });

  it('gives every file the header of its feed', () => {
    for (const file of readdirSync(first)) {
      const parsed = parseFeedFileName(file);
      assert.ok('feed' in parsed);
      const expected = feeds[parsed.feed].fields.map((f) => f.name);
      assert.deepEqual(readCsv(first, file).header, expected, file);
    }
  });

  it('writes only rows that pass the contract, with every reference resolving', () => {
    const keys = {
      subscribers: new Set(readFeed(first, 'subscribers').map((r) => r[0]!)),
      services: new Set(readFeed(first, 'services').map((r) => r[0]!)),
      cells: new Set(readFeed(first, 'cells').map((r) => r[0]!)),
      plans: new Set(readFeed(first, 'plans').map((r) => r[0]!)),
    } as Record<string, Set<string>>;
    let checked = 0;
    for (const file of readdirSync(first)) {
      const parsed = parseFeedFileName(file);
      assert.ok('feed' in parsed);
      const spec = feeds[parsed.feed];
      const seenKeys = new Set<string>();
      for (const [line, row] of readCsv(first, file).rows.entries()) {
        assert.equal(row.length, spec.fields.length, `${file} line ${line + 2}: ${row.length} fields`);
        spec.fields.forEach((field, k) => {
          const value = row[k];
          const problem = fieldProblem(field, value);
          assert.equal(problem, undefined, `${file} line ${line + 2} ${field.name} "${value}": ${problem}`);
          if (field.references && value !== '')
            assert.ok(
              keys[field.references.feed]!.has(value!),
              `${file} line ${line + 2}: ${field.name} ${value} unknown`,
            );
        });
        if (spec.key) {
          const key = spec.key.map((name) => row[spec.fields.findIndex((f) => f.name === name)]).join('|');
          assert.ok(!seenKeys.has(key), `${file} line ${line + 2}: duplicate key ${key}`);
          seenKeys.add(key);
        }
        checked++;
      }
    }
    assert.ok(checked > 20_000, `only ${checked} rows checked`);
  });

  it('keeps each daily file inside its day and signalling in time order', () => {
    for (const file of feedFiles(first, 'sms')) {
      const day = `${file.slice(4, 8)}-${file.slice(8, 10)}-${file.slice(10, 12)}`;
      for (const row of readCsv(first, file).rows) assert.equal(row[0]!.slice(0, 10), day);
    }
    const times = readCsv(first, 'signalling_20260304.csv').rows.map((r) => r[0]!);
    for (let k = 1; k < times.length; k++) assert.ok(times[k - 1]! <= times[k]!, `signalling out of order at row ${k}`);
  });

  it('makes billing add up: total = voice + sms + data + vas', () => {
    const c = columnsOf('billing');
    for (const row of readFeed(first, 'billing')) {
      const cents = (k: number) => Math.round(Number(row[k]) * 100);
      assert.equal(
        cents(c.total_fee!),
        cents(c.voice_fee!) + cents(c.sms_fee!) + cents(c.data_fee!) + cents(c.vas_fee!),
      );
    }
  });

  it('writes gzip files when asked, the same bytes every time', async () => {
    const zipped = join(root, 'zipped');
    const again = join(root, 'zipped-again');
    for (const dir of [zipped, again])
      await generateDemoOperator({ ...small(dir), subscribers: 200, days: 1, signallingDays: [0], gzip: true });
    assert.ok(readdirSync(zipped).every((f) => f.endsWith('.csv.gz')));
    assert.deepEqual(digestOf(again), digestOf(zipped));
    const plain = gunzipSync(readFileSync(join(zipped, 'subscribers.csv.gz'))).toString('utf8');
    assert.ok(plain.startsWith('msisdn,brand,region,county,'));
  });
});

describe('telmark generate command line', () => {
  const usageError = (flags: Parameters<typeof parseGenerateFlags>[0], pattern: RegExp) =>
    assert.throws(
      () => parseGenerateFlags(flags),
      (error: unknown) => isAppError(error) && error.code === 'USAGE' && pattern.test(error.message),
    );

  it('reads the defaults: 20,000 subscribers, 30 days from 2026-03-01, signalling on the last day', () => {
    const options = parseGenerateFlags({ out: 'x' });
    assert.equal(options.subscribers, 20_000);
    assert.equal(options.days, 30);
    assert.equal(options.start, '2026-03-01');
    assert.deepEqual(options.signallingDays, [29]);
  });

  it('reads signalling day lists', () => {
    assert.deepEqual(
      parseGenerateFlags({ out: 'x', days: '5', signallingDays: '2026-03-05,20260302' }).signallingDays,
      [1, 4],
    );
    assert.deepEqual(parseGenerateFlags({ out: 'x', days: '3', signallingDays: 'all' }).signallingDays, [0, 1, 2]);
    assert.deepEqual(parseGenerateFlags({ out: 'x', signallingDays: 'none' }).signallingDays, []);
  });

  it('rejects bad arguments with a message naming the flag', () => {
    usageError({}, /--out/);
    usageError({ out: 'x', subscribers: 'many' }, /--subscribers/);
    usageError({ out: 'x', subscribers: '0' }, /--subscribers/);
    usageError({ out: 'x', days: '400' }, /--days/);
    usageError({ out: 'x', start: '2026-02-30' }, /--start/);
    usageError({ out: 'x', seed: '-1' }, /--seed/);
    usageError({ out: 'x', signallingDays: '2026-05-01' }, /outside/);
    usageError({ out: 'x', signallingDays: 'sometimes' }, /--signalling-days/);
    usageError({ out: 'x', signallingPerSub: 'lots' }, /--signalling-per-sub/);
  });

  it('exits with code 2 and a clear message on a usage error', () => {
    const result = spawnSync(
      process.execPath,
      ['bin/telmark.js', 'generate', '--out', join(root, 'never'), '--days', '0'],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--days must be from 1 to 366/);
  });
});
