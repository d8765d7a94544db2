// Scores a raw table with a saved model: the schema must match (columns present, kinds readable).
import { encodeFeatures, type RawTable } from '../table/index.ts';
import type { LoadedModel } from './model-file.ts';

export interface ScoredRow {
  /** Values of the table's ID-like columns (those the model left out), to join the scores back. */
  keys: Record<string, string>;
  score: number;
  label: string;
}

export function scoreTable(model: LoadedModel, raw: RawTable): ScoredRow[] {
  const { schema, threshold } = model.file;
  const table = encodeFeatures(raw, schema.features);
  const scores = model.classifier.predictProbabilities(table);
  const keyColumns = schema.excluded
    .filter((c) => c.reason === 'id-like')
    .map((c) => raw.header.indexOf(c.name))
    .filter((c) => c !== -1);
  const rows: ScoredRow[] = [];
  for (let r = 0; r < raw.rowCount; r++) {
    const keys: Record<string, string> = {};
    for (const c of keyColumns) keys[raw.header[c]!] = raw.columns[c]![r]!;
    const score = scores[r]!;
    rows.push({ keys, score, label: score >= threshold ? schema.target.positive : schema.target.negative });
  }
  return rows;
}
