// The rule form's reading and writing of a rule's JSON: what the form shows is what the JSON holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyForm, formOfRule, readableRule } from '../../web/src/pages/rule-form.ts';

const stored = {
  id: 'hubs',
  paused: false,
  where: { geofences: ['station', 'campus'], on: 'inside' },
  who: { brands: ['mzone'] },
  behaviour: {
    all: [{ event: ['call_out'], peer: '114', within: 1800, at_least: 1 }],
    none: [{ event: ['call_out'], peer: '12580', within: 1800, at_least: 1 }],
  },
  message: { text: '默认', variants: { station: '车站' } },
  service: '12580',
  response_window: 259200,
  control: 0.1,
};

describe('rule form', () => {
  it('reads minutes, numbers, messages per area and the control share from a stored rule', () => {
    const form = formOfRule(readableRule(stored));
    assert.deepEqual(
      [form.windowMin, form.called, form.notCalled, form.controlPct, form.variants.station, form.simpleBehaviour],
      ['30', '114', '12580', '10', '车站', true],
    );
  });

  it('writes the form back and keeps what it does not show', () => {
    const rule = readableRule(stored);
    const next = applyForm(rule, { ...formOfRule(rule), windowMin: '45', notCalled: '', capDays: '2' });
    assert.deepEqual(next.behaviour, { all: [{ event: 'call_out', peer: '114', within: '45m' }], none: [] });
    assert.deepEqual(next.who, { brands: ['mzone'] });
    assert.equal(next.response_window, '3d');
    assert.equal(next.cap_days, 2);
    assert.deepEqual(formOfRule(next).windowMin, '45');
  });

  it('leaves a behaviour the form cannot show untouched', () => {
    const rule = { ...stored, behaviour: { all: [{ event: 'sms_out', within: 3600, at_least: 5 }], none: [] } };
    const form = formOfRule(rule);
    assert.equal(form.simpleBehaviour, false);
    assert.deepEqual(applyForm(rule, { ...form, text: '新' }).behaviour, rule.behaviour);
  });
});
