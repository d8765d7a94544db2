// Derived tables for the seed analyses of the 12580 case (rebuilt per loaded day with the other
// aggregates, see load/area-usage-aggregates.ts): person-to-person SMS per area, IVR menu choices per
// area type and hour, and who was present in each cell per day (brand mix, callers of 114 and 12580).
export const areaUsageTables: readonly string[] = [
  // Person-to-person SMS of the subscribers of each county x brand per day. A forward is a p2p_mo row
  // with forwarded = 1 (the seed's SMS activity measure), whatever content it carried.
  `CREATE TABLE IF NOT EXISTS agg_sms_area_day (
     day DATE NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL, brand VARCHAR NOT NULL,
     p2p_sent INTEGER NOT NULL, p2p_received INTEGER NOT NULL, p2p_forwards INTEGER NOT NULL,
     senders INTEGER NOT NULL, forwarders INTEGER NOT NULL)`,
  // IVR calls per menu choice, hour, home county x brand of the caller and the kind of area the call
  // was made from (the cell of the matching call_out in the signalling; NULL on days without it).
  `CREATE TABLE IF NOT EXISTS agg_ivr_menu_hour (
     day DATE NOT NULL, hour TINYINT NOT NULL, region VARCHAR NOT NULL, county VARCHAR NOT NULL,
     brand VARCHAR NOT NULL, area_type VARCHAR, access_code VARCHAR NOT NULL, menu VARCHAR NOT NULL,
     calls INTEGER NOT NULL, callers INTEGER NOT NULL)`,
  // Distinct subscribers seen in a cell per day by their brand, and how many of them called 114 / 12580
  // from it: the "area view" fields of the case study for any set of cells.
  `CREATE TABLE IF NOT EXISTS agg_cell_brand_day (
     day DATE NOT NULL, cell_id VARCHAR NOT NULL, brand VARCHAR NOT NULL, subscribers INTEGER NOT NULL,
     callers_114 INTEGER NOT NULL, callers_12580 INTEGER NOT NULL)`,
];
