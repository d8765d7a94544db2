// The per-day SQL that fills the area-usage tables (tables/area-usage-tables.ts), run by
// rebuild-derived.ts for the days of `rebuild_days` after their rows were deleted.

/** Person-to-person SMS per home county x brand x day. */
export const smsAreaDaySql = `
  INSERT INTO agg_sms_area_day (day, region, county, brand, p2p_sent, p2p_received, p2p_forwards, senders, forwarders)
  SELECT CAST(s.ts AS DATE), u.region, u.county, u.brand,
         count(*) FILTER (s.kind = 'p2p_mo'), count(*) FILTER (s.kind = 'p2p_mt'),
         count(*) FILTER (s.kind = 'p2p_mo' AND s.forwarded),
         count(DISTINCT s.msisdn) FILTER (s.kind = 'p2p_mo'),
         count(DISTINCT s.msisdn) FILTER (s.kind = 'p2p_mo' AND s.forwarded)
  FROM sms s JOIN subscribers u ON u.msisdn = s.msisdn
  WHERE s.kind IN ('p2p_mo', 'p2p_mt') AND CAST(s.ts AS DATE) IN (SELECT day FROM rebuild_days)
  GROUP BY ALL`;

/**
 * IVR menu choices per hour, caller's county x brand and the area type of the cell the call was made
 * from. The IVR feed has no cell: the call_out to the same access code in the signalling, within a
 * second of the IVR record, tells where the caller was (the signalling keeps milliseconds).
 */
export const ivrMenuHourSql = `
  INSERT INTO agg_ivr_menu_hour (day, hour, region, county, brand, area_type, access_code, menu, calls, callers)
  WITH calls AS (
    SELECT ts, msisdn, access_code, coalesce(menu, '') AS menu FROM ivr
    WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days)
  ),
  -- Only calls to the access codes the IVR records: a third of the time of all call_outs (measured on
  -- 20,000 subscribers x 2 signalling days), as the ASOF join then sorts a few thousand rows.
  dialled AS (
    SELECT ts, msisdn, peer, cell_id FROM signalling
    WHERE event = 'call_out' AND peer IN (SELECT DISTINCT access_code FROM calls)
      AND CAST(ts AS DATE) IN (SELECT day FROM rebuild_days)
  ),
  located AS (
    SELECT c.ts, c.msisdn, c.access_code, c.menu,
           CASE WHEN d.ts < c.ts + INTERVAL 2 SECOND THEN d.cell_id END AS cell_id
    FROM calls c ASOF LEFT JOIN dialled d ON d.msisdn = c.msisdn AND d.peer = c.access_code AND d.ts >= c.ts
  )
  SELECT CAST(l.ts AS DATE), hour(l.ts), u.region, u.county, u.brand, cl.area_type, l.access_code, l.menu,
         count(*), count(DISTINCT l.msisdn)
  FROM located l JOIN subscribers u ON u.msisdn = l.msisdn LEFT JOIN cells cl ON cl.cell_id = l.cell_id
  GROUP BY ALL`;

/** Subscribers present per cell x brand x day, and those of them who called 114 or 12580 there. */
export const cellBrandDaySql = `
  INSERT INTO agg_cell_brand_day (day, cell_id, brand, subscribers, callers_114, callers_12580)
  WITH seen AS (
    SELECT CAST(ts AS DATE) AS day, cell_id, msisdn,
           bool_or(event = 'call_out' AND peer = '114') AS called_114,
           bool_or(event = 'call_out' AND peer = '12580') AS called_12580
    FROM signalling WHERE CAST(ts AS DATE) IN (SELECT day FROM rebuild_days)
    GROUP BY ALL
  )
  SELECT s.day, s.cell_id, coalesce(u.brand, 'other'), count(*), count(*) FILTER (s.called_114),
         count(*) FILTER (s.called_12580)
  FROM seen s LEFT JOIN subscribers u ON u.msisdn = s.msisdn
  GROUP BY ALL`;
