// A sudden change in the make-up of a customer group: the shares of its members by one dimension
// (age band, county, ARPU band) compared with the day before, as the total variation distance (the
// share of members that would have to move to turn one make-up into the other). A size change is a
// rate-of-change slice (kpi-slices.ts, segment_size); this catches a group whose size holds while its
// members are replaced, e.g. a brand's students leaving and pensioners arriving overnight.
//
// The groups come from sources: segments (agg_segment_day) now. Saved audiences plug in as another
// GroupSource once their table exists (`audiences`, being built beside this): a query giving
// day, grp, part, members for the audience's members per day.
import type { ClickHouseWarehouse } from '../../warehouse/clickhouse/index.ts';
import type { Warehouse } from '../../warehouse/index.ts';
import { detectorSqlForClickHouse } from './detector-sql-clickhouse.ts';
import { type Anomaly, seriesKey } from './anomaly.ts';
import type { LabelOf } from './describe-anomaly.ts';

export interface GroupSource {
  kind: 'segment' | 'audience';
  /** The dimension naming the group, and the one its make-up is measured in. */
  groupDimension: string;
  partDimension: string;
  /** Rows `day, grp, part, members` for days between the two parameters. */
  sql: string;
}

const segmentsBy = (part: string): GroupSource => ({
  kind: 'segment',
  groupDimension: 'brand',
  partDimension: part,
  sql: `SELECT CAST(day AS VARCHAR) AS day, brand AS grp, coalesce(${part}, 'unknown') AS part,
          sum(subscribers_active)::DOUBLE AS members
        FROM agg_segment_day WHERE day BETWEEN ? AND ? GROUP BY ALL`,
});

export const segmentGroupSources: readonly GroupSource[] = [
  segmentsBy('age_band'),
  segmentsBy('county'),
  segmentsBy('arpu_band'),
];

export interface GroupChangeOptions {
  /** Total variation distance (0–1) at which a day-over-day change of make-up alarms; twice as much is critical. */
  maxShift: number;
  /** Groups smaller than this the day before are not judged (a few members moving is no news). */
  minimumMembers: number;
}

export const defaultGroupChangeOptions: GroupChangeOptions = { maxShift: 0.1, minimumMembers: 200 };

export async function detectGroupChanges(
  warehouse: Warehouse | ClickHouseWarehouse,
  range: { from: string; to: string; dayBefore: string },
  labelOf: LabelOf,
  options: GroupChangeOptions & { sources?: readonly GroupSource[] } = defaultGroupChangeOptions,
): Promise<Anomaly[]> {
  const found: Anomaly[] = [];
  for (const source of options.sources ?? segmentGroupSources) {
    const sql = warehouse.engine === 'clickhouse' ? detectorSqlForClickHouse(source.sql) : source.sql;
    const rows = await warehouse.all<{ day: string; grp: string; part: string; members: number }>(sql, [
      range.dayBefore,
      range.to,
    ]);
    const byGroup = new Map<string, Map<string, Map<string, number>>>();
    for (const r of rows) {
      const days = byGroup.get(r.grp) ?? new Map<string, Map<string, number>>();
      byGroup.set(r.grp, days);
      const parts = days.get(r.day) ?? new Map<string, number>();
      days.set(r.day, parts);
      parts.set(r.part, (parts.get(r.part) ?? 0) + Number(r.members));
    }
    for (const [group, days] of byGroup) {
      const sorted = [...days.keys()].sort();
      for (let i = 1; i < sorted.length; i++) {
        const day = sorted[i] as string;
        if (day < range.from) continue;
        const before = days.get(sorted[i - 1] as string)!;
        const now = days.get(day)!;
        const totalBefore = sum(before);
        const totalNow = sum(now);
        if (totalBefore < options.minimumMembers || totalNow === 0) continue;
        let shift = 0;
        let biggest = { part: '', change: 0 };
        for (const part of new Set([...before.keys(), ...now.keys()])) {
          const change = (now.get(part) ?? 0) / totalNow - (before.get(part) ?? 0) / totalBefore;
          shift += Math.abs(change) / 2;
          if (Math.abs(change) > Math.abs(biggest.change)) biggest = { part, change };
        }
        if (shift < options.maxShift) continue;
        found.push(groupAnomaly(source, { group, day, shift, biggest, members: totalNow }, labelOf, options.maxShift));
      }
    }
  }
  return found;
}

function groupAnomaly(
  source: GroupSource,
  change: { group: string; day: string; shift: number; biggest: { part: string; change: number }; members: number },
  labelOf: LabelOf,
  maxShift: number,
): Anomaly {
  const dimensions = { [source.groupDimension]: change.group, by: source.partDimension };
  const group = labelOf(source.groupDimension, change.group);
  const part = labelOf(source.partDimension, change.biggest.part);
  const points = (change.biggest.change * 100).toFixed(0);
  const signed = change.biggest.change > 0 ? `+${points}` : points;
  const shift = Math.round(change.shift * 100);
  return {
    series: seriesKey('group_makeup', dimensions),
    kpi: 'group_makeup',
    dimensions,
    day: change.day,
    kind: 'group_change',
    observed: change.shift,
    expected: 0,
    bandLow: 0,
    bandHigh: maxShift,
    score: change.shift / maxShift,
    pValue: null,
    severity: change.shift >= 2 * maxShift ? 'critical' : 'warning',
    explanation: {
      zh: `${group.zh} 客户群（${change.members.toLocaleString('en')} 人）构成一夜变化 ${shift}%：${part.zh} ${signed} 个百分点`,
      en: `the ${group.en} group (${change.members.toLocaleString('en')}) changed make-up by ${shift}% overnight: ${part.en} ${signed} points`,
    },
  };
}

function sum(parts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const v of parts.values()) total += v;
  return total;
}
