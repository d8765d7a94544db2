// Small builders for stream tests: a handful of Heyuan cells, an engine with rules from YAML text, and
// events written the way the feed writes them.
import { fixedClock } from '../../src/shared/clock.ts';
import type { Decision } from '../../src/stream/engine/decision.ts';
import { TriggerEngine } from '../../src/stream/engine/trigger-engine.ts';
import { parseEventTime } from '../../src/stream/events/event-time.ts';
import type { SignallingEvent, SignallingEventKind } from '../../src/stream/events/signalling-event.ts';
import { CellDirectory } from '../../src/stream/geofences/cell-directory.ts';
import { applyRuleFile } from '../../src/stream/rules/apply-rule-file.ts';
import { parseRuleText } from '../../src/stream/rules/parse-rules.ts';

export function heyuanCells(): CellDirectory {
  return new CellDirectory([
    {
      cellId: '9310-101',
      name: '火车站 1',
      lat: 23.7431,
      lon: 114.6812,
      region: '河源',
      county: '源城',
      areaType: 'station',
    },
    {
      cellId: '9310-102',
      name: '火车站 2',
      lat: 23.744,
      lon: 114.6825,
      region: '河源',
      county: '源城',
      areaType: 'station',
    },
    {
      cellId: '9310-201',
      name: '大学城',
      lat: 23.701,
      lon: 114.72,
      region: '河源',
      county: '源城',
      areaType: 'campus',
    },
    {
      cellId: '9320-301',
      name: '东源镇',
      lat: 23.79,
      lon: 114.74,
      region: '河源',
      county: '东源',
      areaType: 'residential',
    },
  ]);
}

export const stationRules = `
quiet_hours: { from: "21:00", to: "08:00" }
control: 0
geofences:
  - id: station
    name: 火车站
    area_type: station
  - id: campus
    cells: ["9310-201"]
rules:
  - id: station-114-not-12580
    where: { geofences: [station] }
    behaviour:
      all: [{ peer: "114", within: 30m }]
      none: [{ peer: "12580", within: 30m }]
    message:
      text: 拨打12580订票
      variants: { station: 火车站拨打12580订票享优惠 }
    service: "12580"
`;

export interface Harness {
  engine: TriggerEngine;
  decisions: Decision[];
  send(ts: string, msisdn: string, event: SignallingEventKind, cellId: string, peer?: string): void;
  fired(): string[];
}

export function harness(rulesYaml: string, options: { clockAt?: string } = {}): Harness {
  const decisions: Decision[] = [];
  const engine = new TriggerEngine({
    cells: heyuanCells(),
    clock: fixedClock(options.clockAt ?? '2026-03-01T00:00:00Z'),
    onDecision: (d) => decisions.push(d),
  });
  applyRuleFile(engine, parseRuleText(rulesYaml, 'test.yaml'));
  let position = 0;
  return {
    engine,
    decisions,
    send(ts, msisdn, event, cellId, peer = '') {
      const e: SignallingEvent = { tsMs: parseEventTime(ts), msisdn, event, cellId, peer, durationSec: 0 };
      engine.process(e, ++position);
    },
    fired: () => decisions.map((d) => `${d.ruleId} ${d.msisdn} ${d.status}${d.suppression ? `:${d.suppression}` : ''}`),
  };
}
