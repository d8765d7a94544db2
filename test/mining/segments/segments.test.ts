import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  elbowIndex,
  nameRfmSegment,
  quintileScores,
  rfmSegments,
  segmentTable,
} from '../../../src/mining/segments/index.ts';
import { createSeededRandom } from '../../../src/shared/seeded-random.ts';
import { encodeFeatures, inferFeatures, parseCsvTable } from '../../../src/mining/table/index.ts';

/** Three planted groups: heavy data users, SMS-heavy youth (mzone), low-value prepaid. */
function plantedTable(rows: number): string {
  const random = createSeededRandom(5);
  const lines = ['msisdn,brand,data_mb,sms,voice_min'];
  for (let i = 0; i < rows; i++) {
    const group = i % 3;
    const brand = ['gotone', 'mzone', 'easyown'][group]!;
    const data = group === 0 ? 3000 + random.normal() * 300 : 300 + random.normal() * 100;
    const sms = group === 1 ? 400 + random.normal() * 40 : 50 + random.normal() * 15;
    const voice = group === 2 ? 60 + random.normal() * 20 : 300 + random.normal() * 50;
    lines.push(
      `1390000${String(i).padStart(4, '0')},${brand},${data.toFixed(0)},${sms.toFixed(0)},${voice.toFixed(0)}`,
    );
  }
  return lines.join('\n');
}

describe('segmentation', () => {
  const raw = parseCsvTable(plantedTable(600), 'usage.csv');
  const { features, excluded } = inferFeatures(raw);
  const table = encodeFeatures(raw, features);

  it('leaves out the phone-number column and chooses k = 3 by silhouette on planted groups', () => {
    assert.deepEqual(excluded, [{ name: 'msisdn', reason: 'id-like' }]);
    const result = segmentTable(table, { seed: 1, maxK: 6 });
    assert.equal(result.k, 3);
    assert.equal(result.method, 'silhouette');
    assert.equal(result.candidates.length, 5);
    // every planted group lands in one segment
    for (let group = 0; group < 3; group++) {
      const segments = new Set<number>();
      for (let r = group; r < 600; r += 3) segments.add(result.assignment[r]!);
      assert.equal(segments.size, 1);
    }
  });

  it('describes each segment by its distinguishing features', () => {
    const result = segmentTable(table, { k: 3, seed: 1 });
    const descriptions = result.segments.map((s) => s.description).join('\n');
    assert.match(descriptions, /high data_mb/);
    assert.match(descriptions, /high sms/);
    assert.match(descriptions, /brand = mzone \(100 %/);
    assert.match(descriptions, /low voice_min/);
    assert.equal(
      result.segments.reduce((sum, s) => sum + s.size, 0),
      600,
    );
  });

  it('is deterministic for a seed and finds an elbow', () => {
    const a = segmentTable(table, { k: 3, seed: 4 });
    const b = segmentTable(table, { k: 3, seed: 4 });
    assert.deepEqual(a.assignment, b.assignment);
    assert.equal(elbowIndex([100, 40, 12, 10, 9, 8]), 2);
    assert.equal(segmentTable(table, { choose: 'elbow', seed: 1, maxK: 7 }).k, 3);
  });

  it('scores RFM by quintiles and names the value segments', () => {
    assert.deepEqual(
      Array.from(quintileScores(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), true)),
      [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    );
    assert.equal(nameRfmSegment(5, 5, 5), 'champions');
    assert.equal(nameRfmSegment(1, 5, 5), 'cannot lose');
    assert.equal(nameRfmSegment(1, 1, 1), 'hibernating');
    const ten = (f: (i: number) => number) => Float64Array.from({ length: 10 }, (_, i) => f(i));
    const scores = rfmSegments(
      ten((i) => 1 + i * 30),
      ten((i) => 50 - i * 5),
      ten((i) => 900 - i * 90),
    );
    assert.deepEqual(
      [scores[0], scores[9]].map((s) => [s!.recency, s!.frequency, s!.monetary, s!.segment]),
      [
        [5, 5, 5, 'champions'],
        [1, 1, 1, 'hibernating'],
      ],
    );
  });
});
