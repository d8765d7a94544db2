import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upliftInterval } from '../../../src/stream/effect/rule-effect.ts';

describe('uplift interval', () => {
  it('is the 95 % Wald interval of the difference of two response rates', () => {
    // 30 % of 1,000 triggered against 20 % of 100 controls: se = sqrt(.3*.7/1000 + .2*.8/100) = 0.042544.
    const { uplift_low, uplift_high } = upliftInterval({
      triggered: 1000,
      triggered_responders: 300,
      control: 100,
      control_responders: 20,
    });
    assert.equal(uplift_low, 0.0166);
    assert.equal(uplift_high, 0.1834);
  });

  it('is wider for a small control group and absent without one', () => {
    const small = upliftInterval({ triggered: 1000, triggered_responders: 300, control: 10, control_responders: 2 });
    assert.ok(small.uplift_high! - small.uplift_low! > 0.45);
    assert.deepEqual(upliftInterval({ triggered: 10, triggered_responders: 1, control: 0, control_responders: 0 }), {
      uplift_low: null,
      uplift_high: null,
    });
  });
});
