// `telmark customer MSISDN` as an agent's supervisor runs it: a table in Chinese or English, JSON, the
// number's problem in words with exit 2, an unknown number with exit 1, and an audit row per view.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { DemoFixture } from '../analysis/demo-warehouse.ts';
import { customerFixture, interestingSubscribers } from './customer-fixture.ts';

describe('telmark customer', () => {
  let fixture: DemoFixture;
  let msisdn: string;
  before(async () => {
    const built = await customerFixture();
    fixture = built.fixture;
    msisdn = (await interestingSubscribers(built.warehouse)).busy!;
    built.warehouse.close();
  });
  after(() => fixture.remove());

  const telmark = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/telmark.js', 'customer', ...args, '--db', fixture.dbPath], { encoding: 'utf8' });
  const count = () => {
    const result = spawnSync(
      process.execPath,
      [
        'bin/telmark.js',
        '--format',
        'json',
        'audit',
        '--action',
        'customer.view',
        '--limit',
        '1000',
        '--db',
        fixture.dbPath,
      ],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stderr);
    return (JSON.parse(result.stdout) as unknown[]).length;
  };

  test('a table in Chinese with ¥, English on request, JSON for machines; one audit row per view', () => {
    const before = count();
    const zh = telmark(`${msisdn.slice(0, 3)} ${msisdn.slice(3)}`);
    assert.equal(zh.status, 0, zh.stderr);
    assert.match(zh.stdout, new RegExp(msisdn));
    assert.match(zh.stdout, /品牌/);
    assert.match(zh.stdout, /¥\d+\.\d\d/);
    const en = telmark(msisdn, '--lang', 'en');
    assert.equal(en.status, 0, en.stderr);
    assert.match(en.stdout, /monthly bill ¥/);
    const json = telmark(msisdn, '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const profile = JSON.parse(json.stdout);
    assert.equal(profile.msisdn, msisdn);
    assert.ok(Array.isArray(profile.offers));
    assert.equal(count() - before, 3);
  });

  test('a malformed number exits 2 saying what is wrong; an unknown one exits 1', () => {
    const short = telmark('1380013800');
    assert.equal(short.status, 2);
    assert.match(short.stderr, /msisdn "1380013800" has 10 digits; a mobile number has 11/);
    const unknown = telmark('19999999999');
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no subscriber with the number 19999999999/);
  });
});
