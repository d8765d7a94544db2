// Snapshots of the engine's state to one file (written beside, then renamed over the old one) and their
// restore into a fresh engine. Ids that can differ between runs (cells, geofences, signals, rule slots)
// are saved by name and mapped back on restore.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.ts';
import type { AreaCounts } from '../engine/area-counters.ts';
import type { EngineCounters, TriggerEngine } from '../engine/trigger-engine.ts';
import { FENCE_WORDS, HIT_WORDS } from './subscriber-state.ts';

const MAGIC = 'TMSNAP2\n';
const RULE_KEY = 1024;

interface SnapshotHeader {
  position: number;
  watermarkMs: number;
  counters: Omit<EngineCounters, 'rejectedBy'> & Partial<Pick<EngineCounters, 'rejectedBy'>>;
  cells: string[];
  fences: (string | null)[];
  signals: string[];
  ruleSlots: (string | null)[];
  areas: (AreaCounts | null)[];
  arrays: { name: string; byteLength: number }[];
  /** Positions per lane of a partitioned source (absent for single-lane sources and older snapshots). */
  lanes?: [number, number][];
  /** Open reward offers (absent in snapshots from before rewards). */
  offers?: { sub: number; slot: number; offerId: string; offerSec: number; offerTsMs: number; count: number }[];
}

export function writeSnapshot(engine: TriggerEngine, path: string): { bytes: number; subscribers: number } {
  const arrays: Record<string, ArrayBufferView> = {
    msisdnKeys: engine.state.msisdnKeys(),
    ...engine.state.arrays(),
    lastDecidedDay: tableArray(engine.lastDecidedDay),
    suppressedToday: tableArray(engine.suppressedToday),
  };
  const fences: (string | null)[] = [];
  const fenceCount = Math.max(0, ...engine.geofences.all().map((g) => engine.geofences.idOf(g.id)! + 1));
  for (let id = 0; id < fenceCount; id++) fences.push(engine.geofences.definition(id)?.id ?? null);
  const header: SnapshotHeader = {
    position: engine.position,
    watermarkMs: engine.watermarkMs,
    counters: engine.counters,
    cells: engine.cells.cells.map((c) => c.cellId),
    fences,
    signals: [...engine.signals.list()],
    ruleSlots: engine.rules.slotIds(),
    areas: engine.areas.toJSON(),
    arrays: Object.entries(arrays).map(([name, a]) => ({ name, byteLength: a.byteLength })),
    ...(engine.lanes.size > 0 ? { lanes: [...engine.lanes] } : {}),
    offers: [...engine.offers].map(([key, offer]) => ({
      sub: Math.floor(key / RULE_KEY),
      slot: key % RULE_KEY,
      ...offer,
    })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const parts: Buffer[] = [Buffer.from(MAGIC), u32(headerBytes.length), headerBytes];
  for (const array of Object.values(arrays)) parts.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
  const data = Buffer.concat(parts);
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
  return { bytes: data.length, subscribers: engine.state.count };
}

/** Restores a snapshot into an engine that has its cells and rules but no subscribers yet. */
export function readSnapshot(engine: TriggerEngine, path: string): { position: number; subscribers: number } {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw new AppError('INPUT_INVALID', `cannot read snapshot: ${(error as Error).message}`, {
      location: { file: path },
    });
  }
  if (data.subarray(0, MAGIC.length).toString() !== MAGIC)
    throw new AppError('INPUT_INVALID', 'not a Telmark stream snapshot', { location: { file: path } });
  const headerLength = data.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  const header = JSON.parse(data.toString('utf8', offset, offset + headerLength)) as SnapshotHeader;
  offset += headerLength;
  const arrays: Record<string, Uint8Array> = {};
  for (const { name, byteLength } of header.arrays) {
    // Copy to an aligned buffer so typed views over it are allowed.
    arrays[name] = new Uint8Array(data.subarray(offset, offset + byteLength));
    offset += byteLength;
  }
  const keys = new Float64Array(arrays.msisdnKeys!.buffer, 0, arrays.msisdnKeys!.byteLength / 8);
  const state = engine.state;
  state.load(keys, arrays);
  const n = state.count;
  const cellMap = header.cells.map((id) => engine.cells.indexOf(id));
  for (let i = 0; i < n; i++) if (state.cell[i]! >= 0) state.cell[i] = cellMap[state.cell[i]!] ?? -1;
  const fenceMap = header.fences.map((name) => (name === null ? undefined : engine.geofences.idOf(name)));
  for (let w = 0; w < n * FENCE_WORDS; w += 2) {
    const held = state.fences[w]!;
    if (held !== 0) state.fences[w] = (fenceMap[held - 1] ?? -1) + 1;
  }
  const signalMap = header.signals.map((key) => engine.signals.idOfKey(key));
  for (let w = 1; w < n * HIT_WORDS; w += 2) {
    const held = state.hits[w]!;
    if (held !== 0) state.hits[w] = (signalMap[held - 1] ?? 0) + 1;
  }
  const slotMap = header.ruleSlots.map((id) => (id === null ? undefined : engine.rules.get(id)?.slot));
  restoreTable(arrays.lastDecidedDay!, slotMap, (key, value) => engine.lastDecidedDay.set(key, value));
  restoreTable(arrays.suppressedToday!, slotMap, (key, value) => engine.suppressedToday.set(key, value));
  engine.areas.restore(header.areas, (fence) => fenceMap[fence]);
  for (const { sub, slot, ...offer } of header.offers ?? []) {
    const restored = slotMap[slot];
    if (restored !== undefined) engine.offers.set(sub * RULE_KEY + restored, offer);
  }
  engine.position = header.position;
  engine.lanes.clear();
  for (const [lane, position] of header.lanes ?? []) engine.lanes.set(lane, position);
  engine.watermarkMs = header.watermarkMs;
  // Snapshots from before the reason codes have no rejectedBy: their rejections count as malformed.
  const { rejectedBy, ...totals } = header.counters;
  Object.assign(engine.counters, totals);
  engine.counters.rejectedBy = { ...engine.counters.rejectedBy, ...(rejectedBy ?? { malformed: totals.rejected }) };
  return { position: header.position, subscribers: n };
}

function tableArray(table: { size: number; forEach(visit: (key: number, value: number) => void): void }): Float64Array {
  const out = new Float64Array(table.size * 2);
  let i = 0;
  table.forEach((key, value) => {
    out[i++] = key;
    out[i++] = value;
  });
  return out;
}

function restoreTable(
  bytes: Uint8Array,
  slotMap: (number | undefined)[],
  set: (key: number, value: number) => void,
): void {
  const pairs = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i]!;
    const sub = Math.floor(key / RULE_KEY);
    const slot = slotMap[key - sub * RULE_KEY];
    if (slot !== undefined) set(sub * RULE_KEY + slot, pairs[i + 1]!);
  }
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}
