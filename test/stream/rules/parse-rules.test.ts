import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/shared/errors.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';

function problems(text: string): string {
  try {
    parseRuleText(text, 'rules.yaml');
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'RULE_INVALID');
    return error.message;
  }
  assert.fail('expected RULE_INVALID');
}

describe('rule files', () => {
  it('reads the shipped Heyuan example', () => {
    const file = parseRuleText(readFileSync('examples/rules/heyuan.yaml', 'utf8'), 'heyuan.yaml');
    assert.ok(file.rules.some((r) => r.id === 'hubs-114-not-12580'));
    const station = file.rules.find((r) => r.id === 'hubs-114-not-12580')!;
    assert.equal(station.behaviour.none[0]!.within, 1800);
    assert.equal(file.defaults.control, 0.1);
  });

  it('names the rule and the path of every problem, all at once', () => {
    const message = problems(`
geofences:
  - { id: station, area_type: station }
rules:
  - id: one
    where: { geofences: [statoin] }
    behaviour: { none: [{ peer: "12580", within: 30 minutes }] }
    message: { text: hi }
  - id: two
    message: { text: hi, variants: { campus: x } }
    control: 2
`);
    assert.match(message, /^2 problem\(s\) in rules.yaml/);
    assert.match(message, /rule one: rules\[0\]\.behaviour\.none\[0\]\.within: "30 minutes" is not a duration/);
    assert.match(message, /rule two: rules\[1\]\.control: /);
    assert.doesNotMatch(message, /undefined/);
  });

  it('checks references once the shapes are right', () => {
    const message = problems(`
geofences:
  - { id: station, area_type: station }
rules:
  - id: one
    where: { geofences: [statoin], on: enter, dwell: 5m }
    message: { text: hi, variants: { campus: x } }
  - id: one
    message: { text: hi }
`);
    assert.match(message, /rule one: where.geofences: unknown geofence "statoin" \(known: station\)/);
    assert.match(message, /rule one: message.variants.campus: "campus" is not one of the rule's geofences/);
    assert.match(message, /rule one: where.dwell: dwell applies to on: inside or on: leave/);
    assert.match(message, /rule one: id: another rule has the same id/);
  });

  it('rejects geofences without any area and a radius without a centre', () => {
    const message = problems(`
geofences:
  - { id: nowhere }
  - { id: ring, radius_m: 300, county: 源城 }
`);
    assert.match(message, /geofences\[0\]: a geofence needs cells/);
    assert.match(message, /geofences\[1\]: centre and radius_m go together/);
  });
});
