// A hand-made warehouse of five subscribers whose audiences can be worked out on paper. The data's
// last day is 2026-03-31; subscriber 5 closed on 2026-02-01.
//   1 mzone   源城 P2 born 2005 F, since 2024-01-01, holds music (used 3 times on 03-29), campus, bill 20
//   2 mzone   东源 P2 born 2003 M, since 2025-12-01, cancelled music 03-25, bill 35, 50 SMS in January only
//   3 gotone  源城 P1 born 1980 M, since 2015-05-01, holds crbt and news, office, bill 158
//   4 easyown 和平 P3 born 1990 F, since 2020-06-15, holds crbt, no bill, never seen
//   5 gotone  源城 P1 born 1975 M, closed 2026-02-01
import { Warehouse } from '../../../src/warehouse/index.ts';
import { refreshSubscriberFacts } from '../../../src/warehouse/load/index.ts';

export const M = (n: number): string => `1380000000${n}`;

export async function openAudienceWarehouse(path = ':memory:'): Promise<Warehouse> {
  const w = await Warehouse.open(path);
  await w.run(`INSERT INTO subscribers (msisdn, brand, region, county, plan_id, activated_on, birth_year, gender, status, status_changed_on, file_id) VALUES
    ('${M(1)}','mzone','河源','源城','P2','2024-01-01',2005,'F','active','2024-01-01',1),
    ('${M(2)}','mzone','河源','东源','P2','2025-12-01',2003,'M','active','2025-12-01',1),
    ('${M(3)}','gotone','河源','源城','P1','2015-05-01',1980,'M','active','2015-05-01',1),
    ('${M(4)}','easyown','河源','和平','P3','2020-06-15',1990,'F','active','2020-06-15',1),
    ('${M(5)}','gotone','河源','源城','P1','2010-01-01',1975,'M','closed','2026-02-01',1)`);
  await w.run(`INSERT INTO agg_area_day (day, region, county, brand, subscribers_active, users_active, activations, closures)
    VALUES ('2026-03-31','河源','源城','gotone',1,1,0,0)`);
  await w.run(`INSERT INTO billing (msisdn, month, total_fee, voice_fee, sms_fee, data_fee, vas_fee, file_id) VALUES
    ('${M(1)}','2026-02-01',99,0,0,0,0,1), ('${M(1)}','2026-03-01',20,0,0,0,0,1),
    ('${M(2)}','2026-03-01',35,0,0,0,0,1), ('${M(3)}','2026-03-01',158,0,0,0,0,1)`);
  await w.run(`INSERT INTO cells (cell_id, lac, ci, name, lat, lon, region, county, area_type, file_id) VALUES
    ('1-1',1,1,'大学城',23.7,114.7,'河源','源城','campus',1), ('1-2',1,2,'文明路',23.7,114.7,'河源','源城','office',1)`);
  const seen: [number, string, number][] = [
    [1, '1-1', 5],
    [1, '1-2', 1],
    [3, '1-2', 3],
  ];
  for (const [n, cell, times] of seen) {
    for (let i = 0; i < times; i++) {
      await w.run(
        `INSERT INTO signalling (ts, msisdn, event, cell_id, peer, duration_s, file_id) VALUES ('2026-03-30 10:00:00', ?, 'attach', ?, NULL, 0, 1)`,
        [M(n), cell],
      );
    }
  }
  await w.run(`INSERT INTO subscriptions (msisdn, service_id, started_on, ended_on, channel, cancel_channel, trial, trial_ends_on, from_opening, trial_uses) VALUES
    ('${M(1)}','music','2026-01-10',NULL,'sms',NULL,FALSE,NULL,FALSE,NULL),
    ('${M(2)}','music','2026-01-10','2026-03-25','sms','sms',FALSE,NULL,FALSE,NULL),
    ('${M(3)}','crbt','2020-01-10',NULL,'sms',NULL,FALSE,NULL,TRUE,NULL),
    ('${M(3)}','news','2021-01-10',NULL,'sms',NULL,FALSE,NULL,TRUE,NULL),
    ('${M(4)}','crbt','2022-01-10',NULL,'sms',NULL,FALSE,NULL,TRUE,NULL),
    ('${M(5)}','crbt','2022-01-10','2026-02-01','sms','counter',FALSE,NULL,TRUE,NULL)`);
  await w.run(`INSERT INTO agg_subscriber_day (day, msisdn, calls_out, calls_in, call_seconds, sms_out, ivr_calls, wap_visits, vas_events, signalling_events) VALUES
    ('2026-03-30','${M(1)}',0,0,0,10,0,0,3,6), ('2026-03-20','${M(3)}',0,0,0,2,0,0,0,3), ('2026-01-01','${M(2)}',0,0,0,50,0,0,0,0)`);
  await w.run(`INSERT INTO agg_subscriber_service_day (day, msisdn, service_id, orders, cancels, trial_orders, sms_mt, sms_mo, sms_forwards, wap_visits, wap_bytes, ivr_calls, ivr_seconds, crbt_sets, crbt_changes, crbt_downloads, usage_events)
    VALUES ('2026-03-29','${M(1)}','music',0,0,0,0,0,0,3,100,0,0,0,0,0,3)`);
  await w.run(`INSERT INTO mining_churn_scores (msisdn, score, model_version) VALUES
    ('${M(1)}',0.9,'churn-v1'), ('${M(2)}',0.5,'churn-v1'), ('${M(3)}',0.7,'churn-v1'), ('${M(4)}',0.1,'churn-v1')`);
  await w.run(`INSERT INTO mining_propensity_scores (msisdn, service_id, score, model_version) VALUES
    ('${M(2)}','music',0.8,'prop-v2'), ('${M(4)}','music',0.6,'prop-v2'), ('${M(3)}','news',0.99,'prop-v2')`);
  await w.run(`INSERT INTO mining_models (model_version, purpose, kind, trained_at, rows, auc, baseline_auc, method, model_json) VALUES
    ('churn-v1','churn','gbdt','2026-03-31 00:00:00',4,0.8,0.5,'test','{}'),
    ('prop-v2','propensity','gbdt','2026-03-31 00:00:00',4,0.8,0.5,'test','{}')`);
  await w.run(`INSERT INTO services (service_id, name, category, monthly_fee, trial_months, file_id) VALUES
    ('music','音乐随身听','music',5,0,1), ('crbt','彩铃','crbt',5,0,1), ('news','手机报','news',3,0,1)`);
  await refreshSubscriberFacts(w);
  return w;
}
