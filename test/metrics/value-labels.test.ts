// One place for every bilingual label: each value the demo's catalogue or the contract can produce has
// a Chinese and an English label, and the English one is never the id or the Chinese name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { counties, demoPlans, demoServices, namedPlaces, regionName } from '../../src/demo/index.ts';
import { placeNamesEn } from '../../src/demo/demo-names.ts';
import { dataValueLabel, fixedDimensionValues, fixedValueLabels } from '../../src/metrics/index.ts';

const han = /[\u4e00-\u9fff]/;

describe('value labels', () => {
  test('every plan, service, region and county of the demo has an English name, never its id', () => {
    for (const plan of demoPlans) {
      const label = dataValueLabel('plan', plan.planId, plan.name);
      assert.equal(label.zh, plan.name);
      assert.ok(label.en !== plan.planId && !han.test(label.en), `${plan.planId}: ${label.en}`);
    }
    for (const service of demoServices) {
      const label = dataValueLabel('service', service.serviceId, service.name);
      assert.equal(label.zh, service.name);
      assert.ok(label.en !== service.serviceId && !han.test(label.en), `${service.serviceId}: ${label.en}`);
    }
    for (const county of counties) assert.doesNotMatch(dataValueLabel('county', county.name).en, han);
    assert.equal(dataValueLabel('region', regionName).en, 'Heyuan');
    for (const place of namedPlaces) assert.ok(placeNamesEn[place.name], place.name);
  });

  test('a value the demo does not know keeps its own name in both languages', () => {
    assert.deepEqual(dataValueLabel('service', 'x9', '新业务'), { zh: '新业务', en: '新业务' });
  });

  test('every fixed value (brands, channels, bands, …) is labelled, the Chinese label without the code', () => {
    for (const [dimension, values] of Object.entries(fixedDimensionValues)) {
      const labels = fixedValueLabels[dimension as keyof typeof fixedValueLabels];
      assert.ok(labels, dimension);
      for (const value of values ?? []) {
        const label = labels[value];
        assert.ok(label, `${dimension} ${value}`);
        assert.match(label.zh, han, `${dimension} ${value}: ${label.zh}`);
      }
    }
  });
});
