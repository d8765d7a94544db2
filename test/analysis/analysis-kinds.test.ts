import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisKinds as listedForHelp } from '../../src/analysis/analysis-kinds.ts';
import { analysisKinds } from '../../src/analysis/index.ts';

test('the light list of analysis kinds (for --help) names every analysis, in order', () => {
  assert.deepEqual([...listedForHelp], [...analysisKinds]);
});
