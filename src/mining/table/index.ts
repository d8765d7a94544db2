export {
  type ColumnKind,
  type ExcludedColumn,
  type FeatureSchema,
  inferColumn,
  isMissing,
  parseBoolean,
  parseNumeric,
} from './column-types.ts';
export {
  encodeFeatures,
  encodeLabelledTable,
  type FeatureTable,
  inferFeatures,
  inferTableSchema,
  inferTarget,
  type LabelledTable,
  selectRows,
  type TableSchema,
  type TargetSchema,
} from './feature-table.ts';
export { parseCsvTable, type RawTable, readCsvTable } from './read-csv-table.ts';
export { rowsToCsv } from '../../shared/csv-text.ts';
