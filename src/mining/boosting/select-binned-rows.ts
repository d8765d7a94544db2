// Rows of binned data, by index (the internal validation split of early stopping).
import type { BinnedData } from '../trees/feature-binning.ts';

export function selectBinnedRows(data: BinnedData, rows: Int32Array): BinnedData {
  const bins = data.bins.map((column) => {
    const out = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = column[rows[i]!]!;
    return out;
  });
  return { rowCount: rows.length, bins, featureBins: data.featureBins };
}
