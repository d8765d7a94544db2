// A hand-made warehouse of a few rows, whose KPI values can be worked out on paper.
import { Warehouse } from '../../src/warehouse/index.ts';
import { rollupSql } from '../../src/warehouse/load/rebuild-derived.ts';

export async function openSmallWarehouse(): Promise<Warehouse> {
  const warehouse = await Warehouse.open(':memory:');
  const days = ['2026-03-01', '2026-03-02', '2026-03-03'];
  await warehouse.run(`INSERT INTO services VALUES ('crbt','彩铃','crbt',5,0,1), ('news','手机报','news',3,1,1)`);
  await warehouse.run(
    `INSERT INTO plans VALUES ('P1','畅听','gotone',58,300,100,500,1), ('P2','校园','mzone',18,50,300,200,1)`,
  );
  await warehouse.run(`INSERT INTO subscribers VALUES
    ('13800000001','gotone','河源','源城','P1','2020-01-01',1980,'M','active','2020-01-01',1),
    ('13800000002','gotone','河源','源城','P1','2025-12-01',1990,'F','active','2025-12-01',1),
    ('13800000003','mzone','河源','东源','P2','2026-03-02',2005,'M','active','2026-03-02',1),
    ('13800000004','mzone','河源','东源','P2','2024-01-01',2004,'F','closed','2026-03-03',1)`);
  // subscribers_active, users_active, activations, closures per county x brand x day
  const areaDay: [string, string, string, number, number, number, number][] = [];
  for (const [i, day] of days.entries()) {
    areaDay.push([day, '源城', 'gotone', 2, i === 1 ? 2 : 1, 0, 0]);
    areaDay.push([day, '东源', 'mzone', i === 0 ? 1 : i === 1 ? 2 : 1, 1, i === 1 ? 1 : 0, i === 2 ? 1 : 0]);
  }
  for (const [day, county, brand, subs, active, act, clo] of areaDay) {
    await warehouse.run('INSERT INTO agg_area_day VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      day,
      '河源',
      county,
      brand,
      subs,
      active,
      act,
      clo,
    ]);
  }
  // holders, orders, cancels per county x brand x service x day
  const serviceDay: [string, string, string, string, number, number, number][] = [
    ['2026-03-01', '源城', 'gotone', 'crbt', 1, 1, 0],
    ['2026-03-02', '源城', 'gotone', 'crbt', 2, 1, 0],
    ['2026-03-03', '源城', 'gotone', 'crbt', 1, 0, 1],
    ['2026-03-02', '东源', 'mzone', 'news', 1, 1, 0],
    ['2026-03-03', '东源', 'mzone', 'news', 1, 0, 0],
  ];
  for (const [day, county, brand, service, holders, orders, cancels] of serviceDay) {
    await warehouse.run(
      'INSERT INTO agg_area_service_day VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 0, 0, 0, 0, 0)',
      [
        day,
        '河源',
        county,
        brand,
        brand === 'gotone' ? 'P1' : 'P2',
        service,
        holders,
        holders,
        orders,
        cancels,
        holders,
        holders * 2,
      ],
    );
  }
  await warehouse.run(`INSERT INTO agg_channel_service_day VALUES
    ('2026-03-01','sms','crbt','源城','gotone',1,0,0), ('2026-03-02','wap','crbt','源城','gotone',1,0,0),
    ('2026-03-03','hotline','crbt','源城','gotone',0,1,0), ('2026-03-02','sms','news','东源','mzone',1,0,0)`);
  await warehouse.run(`INSERT INTO billing VALUES
    ('13800000001','2026-03-01',120,80,10,20,10,1), ('13800000002','2026-03-01',40,30,5,0,5,1),
    ('13800000004','2026-03-01',20,10,5,0,5,1)`);
  // The per-segment tables come from the loader's own roll-ups of the subscribers and the bills.
  await warehouse.run('CREATE TEMP TABLE rebuild_days AS SELECT DISTINCT day FROM agg_area_day');
  await warehouse.run(rollupSql.agg_segment_day);
  await warehouse.run(rollupSql.agg_billing_segment_month);
  await warehouse.run('DROP TABLE temp.main.rebuild_days');
  return warehouse;
}
