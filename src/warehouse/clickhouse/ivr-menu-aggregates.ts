// agg_ivr_menu_hour on ClickHouse 18.16, per shard. DuckDB locates each IVR call by an ASOF join: the
// first call_out to the same access code at or after the IVR record, kept when it is less than 2 s
// later (its cell tells the kind of area). 18.16 has no ASOF join, so each subscriber x access code
// gets its IVR calls and its call_outs to that code as arrays, and `arrayFirst` over the call_outs
// sorted by time finds the same one. The signalling keeps whole seconds here (no DateTime64 in 18.16):
// an IVR record has whole seconds, so "at or after" and "less than 2 s later" give the same answer
// on truncated times; only two call_outs of one subscriber to one code within the same second could
// be told apart differently (here the lower cell id wins).

/** Each IVR call with the cell of its call_out ('' when none matches). */
const locatedCalls = `
  SELECT tupleElement(call, 1) AS ts, msisdn, access_code, tupleElement(call, 2) AS menu,
         arrayFirst(d -> tupleElement(d, 1) >= tupleElement(call, 1), dialled) AS hit,
         if(tupleElement(hit, 1) >= ts AND tupleElement(hit, 1) < ts + 2, tupleElement(hit, 2), '') AS cell_id
  FROM (
    SELECT msisdn, access_code, groupArrayIf((ts, menu), kind = 0) AS calls,
           arraySort(groupArrayIf((ts, cell_id), kind = 1)) AS dialled
    FROM (
      SELECT msisdn, access_code, ts, menu, '' AS cell_id, toUInt8(0) AS kind FROM ivr_local
      UNION ALL
      SELECT msisdn, peer AS access_code, ts, '' AS menu, cell_id, toUInt8(1) AS kind FROM signalling_local
      WHERE event = 'call_out' AND peer IN (SELECT DISTINCT access_code FROM ivr_local)
    ) GROUP BY msisdn, access_code
  ) ARRAY JOIN calls AS call`;

export const ivrMenuHourSql = `
  INSERT INTO agg_ivr_menu_hour_local (day, hour, region, county, brand, area_type, access_code, menu, calls, callers)
  SELECT toDate(ts) AS day, toHour(ts) AS hour, region, county, brand, area_type, access_code, menu, count(), uniqExact(msisdn)
  FROM (
    SELECT ts, msisdn, access_code, menu, cell_id, region, county, brand
    FROM (SELECT ts, msisdn, access_code, menu, cell_id FROM (${locatedCalls}))
    ANY INNER JOIN (SELECT msisdn, region, county, brand FROM subscribers_local) USING msisdn
  ) ANY LEFT JOIN (SELECT cell_id, area_type FROM cells) USING cell_id
  GROUP BY day, hour, region, county, brand, area_type, access_code, menu`;
