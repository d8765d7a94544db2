// A sortable table with CSV export of exactly what is shown (visible columns, current order). Sorting
// and drill-down work from the keyboard too: each header is a button, each drillable row a link-like
// row that Enter or Space follows.
import { type KeyboardEvent, useMemo, useState } from 'react';
import { type Bilingual, useI18n } from '../i18n/index.ts';
import { downloadText, toCsv } from './csv.ts';
import { useValueLabels } from './value-labels.ts';

export interface Column {
  key: string;
  label: Bilingual | string;
  unit?: string;
  /** The catalogue dimension naming the values (an analysis's "area" column holds counties). */
  dimension?: string;
  /** Labels of the column's own coded values. */
  values?: Readonly<Record<string, Bilingual>>;
}

export interface DataTableProps {
  title?: Bilingual | string;
  columns: readonly Column[];
  /**
   * Plain JSON objects, read by column key. Typed `object` so that the server's answer types (interfaces,
   * which have no index signature) are passed as they are, not copied into records.
   */
  rows: readonly object[];
  fileName: string;
  maxRows?: number;
  onRowClick?: (row: Record<string, unknown>) => void;
}

export function DataTable({ title, columns, rows: answerRows, fileName, maxRows = 500, onRowClick }: DataTableProps) {
  const rows = answerRows as readonly Record<string, unknown>[];
  const { t, pick, formatNumber } = useI18n();
  const [sort, setSort] = useState<{ key: string; descending: boolean } | null>(null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const factor = sort.descending ? -1 : 1;
    return [...rows].sort((a, b) => compare(a[sort.key], b[sort.key]) * factor);
  }, [rows, sort]);
  const shown = sorted.slice(0, maxRows);
  const labelValue = useValueLabels();
  const named = (column: Column, value: unknown) => labelValue(column.key, value, column);
  // A column of plain figures shows the same decimals on every row: two when any row has a fraction.
  const digits = useMemo(() => {
    const byColumn = new Map<string, number>();
    for (const column of columns) {
      const fractional = rows.some((r) => typeof r[column.key] === 'number' && !Number.isInteger(r[column.key]));
      byColumn.set(column.key, fractional ? 2 : 0);
    }
    return byColumn;
  }, [columns, rows]);
  const display = (value: unknown, column: Column) =>
    typeof value === 'number'
      ? formatNumber(value, column.unit, digits.get(column.key))
      : typeof value === 'string' && timestampPattern.test(value)
        ? formatTimestamp(value)
        : named(column, value);
  const sortBy = (key: string) => setSort((s) => ({ key, descending: s?.key === key ? !s.descending : true }));
  const follow = (event: KeyboardEvent, row: Record<string, unknown>) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onRowClick?.(row);
  };

  const exportCsv = () => {
    const header = columns.map((c) => pick(c.label));
    const body = sorted.map((row) => columns.map((c) => csvValue(row[c.key], (v) => named(c, v))));
    downloadText(`${fileName}.csv`, toCsv(header, body));
  };

  return (
    <section className="panel table-panel">
      <header className="panel-header">
        <h3>{title ? pick(title) : ''}</h3>
        <span className="muted">
          {rows.length.toLocaleString()} {t('table.rows')}
        </span>
        <button type="button" className="button" onClick={exportCsv} data-testid="export-csv">
          {t('table.export')}
        </button>
      </header>
      <div className="table-scroll">
        <table className="data-table" data-testid="data-table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  className={isNumericColumn(rows, column.key) ? 'num' : undefined}
                  aria-sort={sort?.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="sort-button"
                    title={t('table.sortHint')}
                    onClick={() => sortBy(column.key)}
                  >
                    {pick(column.label)}
                    {sort?.key === column.key ? (sort.descending ? ' ▾' : ' ▴') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="muted">
                  {t('table.empty')}
                </td>
              </tr>
            ) : (
              shown.map((row, index) => (
                <tr
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
                  key={index}
                  className={onRowClick ? 'clickable' : undefined}
                  onClick={onRowClick ? () => onRowClick(row) : undefined}
                  tabIndex={onRowClick ? 0 : undefined}
                  onKeyDown={onRowClick ? (event) => follow(event, row) : undefined}
                >
                  {columns.map((column) => (
                    <td key={column.key} className={typeof row[column.key] === 'number' ? 'num' : undefined}>
                      {display(row[column.key], column)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A timestamp as people read it: "2026-03-08 14:05:09", no milliseconds, no "T". A time with a zone
 * (the server's UTC stamps) is shown in the browser's local time; a local time is shown as it is.
 */
export function formatTimestamp(value: string): string {
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) {
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    }
  }
  return value.replace('T', ' ').slice(0, 19);
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''), 'zh-CN');
}

function isNumericColumn(rows: readonly Record<string, unknown>[], key: string): boolean {
  return rows.length > 0 && rows.every((r) => typeof r[key] === 'number' || r[key] === null);
}

/** Exported numbers keep full precision (ratios stay 0.1234, not rounded percentages); names as shown. */
function csvValue(value: unknown, label: (value: unknown) => string): unknown {
  if (typeof value === 'number') return Math.round(value * 1e6) / 1e6;
  return label(value);
}
