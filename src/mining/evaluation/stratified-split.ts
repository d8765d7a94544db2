// Train/test splits and k folds that keep the share of positives, seeded.
import { createSeededRandom, shuffleInPlace } from '../../shared/seeded-random.ts';

export interface RowSplit {
  train: Int32Array;
  test: Int32Array;
}

function shuffledByClass(labels: Uint8Array, seed: number): [Int32Array, Int32Array] {
  const random = createSeededRandom(seed);
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let r = 0; r < labels.length; r++) (labels[r] === 1 ? positives : negatives).push(r);
  const p = Int32Array.from(positives);
  const n = Int32Array.from(negatives);
  shuffleInPlace(p, random);
  shuffleInPlace(n, random);
  return [p, n];
}

export function stratifiedSplit(labels: Uint8Array, testFraction: number, seed: number): RowSplit {
  const train: number[] = [];
  const test: number[] = [];
  for (const group of shuffledByClass(labels, seed)) {
    const testCount = Math.round(group.length * testFraction);
    for (let i = 0; i < group.length; i++) (i < testCount ? test : train).push(group[i]!);
  }
  const sorted = (rows: number[]) => Int32Array.from(rows).sort();
  return { train: sorted(train), test: sorted(test) };
}

export function stratifiedFolds(labels: Uint8Array, folds: number, seed: number): RowSplit[] {
  const assignment = new Int32Array(labels.length);
  for (const group of shuffledByClass(labels, seed))
    group.forEach((r, i) => {
      assignment[r] = i % folds;
    });
  return Array.from({ length: folds }, (_, k) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let r = 0; r < labels.length; r++) (assignment[r] === k ? test : train).push(r);
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}
