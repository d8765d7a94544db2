import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../../src/shared/errors.ts';
import { heyuanCells } from '../stream-fixtures.ts';
import { parseRuleText } from '../../../src/stream/rules/parse-rules.ts';
import { type RuleReferences, referencesOfCells } from '../../../src/stream/rules/rule-references.ts';

function problems(text: string, references?: RuleReferences): string {
  try {
    parseRuleText(text, 'rules.yaml', references);
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
    assert.match(message, /rule one: rules\[1\]\.id: another rule has the same id \(rules\[0\]\)/);
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

  it('reports the file, every geofence, every rule and every reference in one round', () => {
    const message = problems(`
contorl: 0.1
cap_days: -1
geofences:
  - { id: station, area_type: station }
  - { id: nowhere }
  - { id: station, cells: ["9310-201"] }
rules:
  - id: one
    where: { geofences: [statoin] }
    message: { text: hi }
  - id: two
    message: { text: hi }
    control: 2
  - id: one
    where: { geofences: [nowhere] }
    message: { text: again }
`);
    const lines = message
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    assert.match(message, /^7 problem\(s\) in rules.yaml/);
    assert.deepEqual(
      lines.sort(),
      [
        'geofence nowhere: geofences[1]: a geofence needs cells, area_type, county, region or centre + radius_m',
        'geofence station: geofences[2].id: another geofence has the same id (geofences[0]); the second would silently replace the first',
        'rule one: rules[2].id: another rule has the same id (rules[0])',
        'rule one: where.geofences: unknown geofence "statoin" (known: station, nowhere)',
        'rule two: rules[1].control: Too big: expected number to be <=0.9',
        lines.find((l) => l.startsWith('cap_days'))!,
        lines.find((l) => l.startsWith('(top)'))!,
      ].sort(),
    );
    assert.match(message, /\(top\): .*contorl/);
    assert.match(message, /cap_days: /);
  });

  it('reports unknown cells, counties, regions, area types and services against the feeds', () => {
    const references = { ...referencesOfCells(heyuanCells()), services: new Set(['12580', 'crbt']) };
    const message = problems(
      `
geofences:
  - { id: station, cells: ["9310-101", "abc", "9999-99999"] }
  - { id: east, county: [东源, 东园] }
  - { id: city, region: 河原 }
  - { id: hubs, area_type: [station, stadium] }
  - { id: near, centre: { cell: "1-1" }, radius_m: 500 }
rules:
  - id: one
    where: { geofences: [station] }
    message: { text: hi }
    service: "12850"
  - id: two
    message: { text: hi }
    service: "12580"
`,
      references,
    );
    assert.match(message, /^6 problem\(s\)/);
    assert.match(
      message,
      /geofence station: geofences\[0\]\.cells: unknown cell "abc", "9999-99999" \(not in the cells feed\)/,
    );
    assert.match(message, /geofence east: geofences\[1\]\.county: unknown county "东园"/);
    assert.match(message, /geofence city: geofences\[2\]\.region: unknown region "河原"/);
    assert.match(message, /geofence hubs: geofences\[3\]\.area_type: unknown area type "stadium"/);
    assert.match(message, /geofence near: geofences\[4\]\.centre\.cell: unknown cell "1-1"/);
    assert.match(message, /rule one: rules\[0\]\.service: unknown service "12850" \(not in the services feed\)/);
  });

  it('reports every YAML syntax error with its line, before anything else', () => {
    const message = problems('geofences:\n  - { id: station, area_type: station\nrules: [\n  - id: x\n');
    assert.match(message, /problem\(s\) in rules.yaml/);
    assert.match(message, /line \d+, column \d+: not valid YAML/);
  });
});
