// `npm run bench -- anomalies [--subscribers 1000000] [--days 90]`
// The warehouse detectors over every slice of an operator of N subscribers x D days. Generating and
// loading such an operator through the feeds takes far too long here, so the aggregate tables the
// detectors read (and the orders the quick-cancel rule reads) are synthesised in DuckDB at the scale
// N implies, as pure noise around a weekly rhythm: every alarm on it is a false alarm, so the run
// also shows what the false discovery rate control lets through. Kept in tmp for the next run.
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectWarehouseAnomalies } from '../src/anomalies/index.ts';
import { fixedClock } from '../src/shared/clock.ts';
import { Warehouse } from '../src/warehouse/index.ts';
import { reportFigure, timeMs } from './report.ts';

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: 'string', default: '1000000' },
      days: { type: 'string', default: '90' },
      rebuild: { type: 'boolean', default: false },
    },
  });
  const subscribers = Number(values.subscribers);
  const days = Number(values.days);
  const path = join(tmpdir(), `telmark-bench-anomalies-${subscribers}-${days}.duckdb`);
  if (values.rebuild || !existsSync(path)) {
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const warehouse = await Warehouse.open(path);
    try {
      const ms = await timeMs(() => synthesise(warehouse, subscribers, days));
      console.log(`synthesised aggregates of ${subscribers} subscribers x ${days} days in ${Math.round(ms)} ms`);
    } finally {
      warehouse.close();
    }
  }
  const warehouse = await Warehouse.open(path);
  try {
    const clock = fixedClock('2026-06-01T06:00:00Z');
    const last = lastDay(days);
    const oneDay = await detectWarehouseAnomalies(warehouse, { from: last, to: last, clock: systemLikeClock() });
    const first = dayAfter(14);
    let all = oneDay;
    const allMs = await timeMs(async () => {
      all = await detectWarehouseAnomalies(warehouse, { from: first, to: last, clock });
    });
    console.log(
      `after one day's load: ${oneDay.slices} slices, ${oneDay.tests} tests, ${oneDay.anomalies.length} alarms; ` +
        `all ${days - 14} judged days: ${all.tests} tests, ${all.anomalies.length} alarms on pure noise ` +
        `(${all.anomalies.filter((a) => a.kind === 'deviation').length} deviations, ` +
        `${all.anomalies.filter((a) => a.kind === 'level_shift').length} level shifts)`,
    );
    reportFigure({ name: 'anomalies.detect_after_load_s', value: oneDay.ms / 1000, unit: 's', target: 'seconds' });
    reportFigure({ name: 'anomalies.detect_all_days_s', value: allMs / 1000, unit: 's' });
    reportFigure({ name: 'anomalies.false_alarms_on_noise', value: all.anomalies.length, unit: 'alarms' });
  } finally {
    warehouse.close();
  }
}

/** Wall time for the detection's own `ms` (a fixed clock would report 0). */
function systemLikeClock() {
  return { now: () => new Date('2026-06-01T06:00:00Z'), nowMs: () => Date.now() };
}

function dayAfter(n: number): string {
  return new Date(Date.UTC(2026, 2, 1 + n)).toISOString().slice(0, 10);
}

function lastDay(days: number): string {
  return dayAfter(days - 1);
}

async function synthesise(warehouse: Warehouse, subscribers: number, days: number): Promise<void> {
  const scale = subscribers / 20_000;
  const start = '2026-03-01';
  // Counts: a weekly factor times a per-slice level, with noise of about the Poisson size.
  const count = (level: string, seed: string) =>
    `greatest(0, CAST(round((${level}) * (CASE WHEN dayofweek(d) IN (0, 6) THEN 0.8 ELSE 1.0 END) +
       sqrt(${level}) * ((hash(d, k, '${seed}') % 2001) / 1000.0 - 1.0) * 1.7) AS INTEGER))`;
  const size = (level: string, seed: string) =>
    `CAST(round((${level}) * (1 + 0.003 * ((hash(d, k, '${seed}') % 2001) / 1000.0 - 1.0))) AS INTEGER)`;
  const statements = [
    `INSERT INTO services VALUES ('crbt','彩铃','crbt',5,0,0), ('news','手机报','news',3,1,0), ('12580','12580生活播报','directory',3,0,0),
       ('im','飞信','im',0,0,0), ('music','无线音乐俱乐部','music',6,2,0), ('game','手机游戏','game',8,0,0),
       ('video','手机视频','video',10,1,0), ('portal','移动梦网','portal',2,0,0)`,
    `CREATE TEMP TABLE days AS SELECT DATE '${start}' + CAST(i AS INTEGER) AS d FROM range(${days}) t(i)`,
    `CREATE TEMP TABLE dims AS
     SELECT c.county, b.brand, p.plan_id, s.service_id, ch.channel
     FROM (VALUES ('源城'),('东源'),('和平'),('龙川'),('紫金'),('连平')) c(county),
          (VALUES ('gotone'),('easyown'),('mzone'),('other')) b(brand),
          (VALUES ('P1'),('P2'),('P3')) p(plan_id),
          (VALUES ('crbt'),('news'),('12580'),('im'),('music'),('game'),('video'),('portal')) s(service_id),
          (VALUES ('sms'),('ivr'),('wap'),('web'),('counter'),('hotline'),('campaign'),('bundle'),('auto')) ch(channel)`,
    `INSERT INTO agg_channel_service_day
     SELECT d, channel, service_id, county, brand, ${count(`0.9 * ${scale}`, 'o')}, ${count(`0.5 * ${scale}`, 'c')},
            ${count(`0.02 * ${scale}`, 'u')}
     FROM (SELECT DISTINCT county, brand, service_id, channel, hash(county, brand, service_id, channel) AS k FROM dims), days`,
    `INSERT INTO agg_area_service_day
     SELECT d, '河源', county, brand, plan_id, service_id, 0, 0, ${count(`2.7 * ${scale}`, 'o')}, ${count(`1.5 * ${scale}`, 'c')},
            0, 0, 0, 0, 0, 0, 0, 0, 0
     FROM (SELECT DISTINCT county, brand, plan_id, service_id, hash(county, brand, plan_id, service_id) AS k FROM dims), days`,
    // Sizes are stocks: they move by churn and activations (a few per thousand a day), not like counts.
    `INSERT INTO agg_area_day
     SELECT d, '河源', county, brand, ${size(`800 * ${scale}`, 's')}, ${count(`600 * ${scale}`, 'a')}, 0, 0
     FROM (SELECT DISTINCT county, brand, hash(county, brand) AS k FROM dims), days`,
    `INSERT INTO agg_segment_day
     SELECT d, '河源', county, brand, plan_id, t.tenure_band, 'a', 'b', ${size(`50 * ${scale}`, 's')}, 0
     FROM (SELECT DISTINCT county, brand, plan_id, hash(county, brand, plan_id) AS k FROM dims),
          (VALUES ('<6m'),('6-12m'),('1-2y'),('2-5y'),('5y+')) t(tenure_band), days`,
    // About 1.5 orders per 1,000 subscribers a day, a few cancelled within minutes.
    `INSERT INTO orders
     SELECT 'O' || i, DATE '${start}' + CAST(i % ${days} AS INTEGER) + to_seconds(CAST(hash(i, 's') % 80000 AS BIGINT)),
            '138' || lpad(CAST(hash(i, 'm') % ${subscribers} AS VARCHAR), 8, '0'),
            ['crbt','news','12580','im','music','game','video','portal'][1 + CAST(hash(i, 'v') % 8 AS INTEGER)],
            CASE WHEN hash(i, 'a') % 3 = 0 THEN 'unsubscribe' ELSE 'subscribe' END,
            ['sms','ivr','wap','web','counter','hotline','campaign','bundle','auto'][1 + CAST(hash(i, 'c') % 9 AS INTEGER)],
            FALSE, TRUE, NULL, 0
     FROM range(${Math.round(subscribers * 0.0015 * days)}) t(i)`,
  ];
  for (const sql of statements) await warehouse.run(sql);
}
