// The live set of trigger rules: add, edit, pause and remove while the stream runs. Every change
// recompiles the touched rule and rebuilds the small geofence → rules index the engine walks per event.
import { AppError } from '../../shared/errors.ts';
import type { Geofences } from '../geofences/geofences.ts';
import type { SubscriberState } from '../state/subscriber-state.ts';
import { type CompiledRule, compileRule } from './compile-rule.ts';
import type { RuleDefinition, RuleFileDefaults } from './rule-schema.ts';
import type { SignalCatalogue } from './signal-catalogue.ts';

export const MAX_RULE_SLOTS = 1024;

export interface RuleEntry {
  id: string;
  version: number;
  paused: boolean;
  slot: number;
  definition: RuleDefinition;
}

export interface RuleIndex {
  enter: CompiledRule[][];
  inside: CompiledRule[][];
  leave: CompiledRule[][];
  anywhere: CompiledRule[];
  /** Rules with a reward, paused ones included: their open offers keep counting. */
  rewarded: CompiledRule[];
}

export class RuleSet {
  private readonly entries = new Map<string, RuleEntry>();
  private readonly compiled = new Map<string, CompiledRule>();
  private readonly slots: (string | undefined)[] = [];
  private readonly segmentCodes = new Map<string, number>();
  index: RuleIndex = { enter: [], inside: [], leave: [], anywhere: [], rewarded: [] };

  constructor(
    private readonly deps: { geofences: Geofences; signals: SignalCatalogue; state: SubscriberState },
    public defaults: RuleFileDefaults,
  ) {}

  /**
   * Adds a new rule or replaces one with the same id (its version goes up, its slot and cap history stay).
   * `version` sets the version instead: a rule restored from the store keeps the one it had, and an edit
   * goes above every version the store has seen.
   */
  upsert(definition: RuleDefinition, version?: number): RuleEntry {
    const previous = this.entries.get(definition.id);
    const slot = previous?.slot ?? this.freeSlot(definition.id);
    const entry: RuleEntry = {
      id: definition.id,
      version: version ?? (previous?.version ?? 0) + 1,
      paused: definition.paused,
      slot,
      definition,
    };
    const compiled = compileRule(definition, {
      slot,
      version: entry.version,
      defaults: this.defaults,
      geofences: this.deps.geofences,
      signals: this.deps.signals,
      state: this.deps.state,
      segmentCode: (name) => this.segmentCode(name),
    });
    this.entries.set(entry.id, entry);
    this.compiled.set(entry.id, compiled);
    this.slots[slot] = entry.id;
    this.rebuild();
    return entry;
  }

  setPaused(id: string, paused: boolean): RuleEntry {
    const entry = this.require(id);
    entry.paused = paused;
    entry.definition = { ...entry.definition, paused };
    this.rebuild();
    return entry;
  }

  remove(id: string): void {
    const entry = this.require(id);
    this.entries.delete(id);
    this.compiled.delete(id);
    this.slots[entry.slot] = undefined;
    this.rebuild();
  }

  get(id: string): RuleEntry | undefined {
    return this.entries.get(id);
  }

  list(): RuleEntry[] {
    return [...this.entries.values()];
  }

  /** Rule id by slot, for snapshots. */
  slotIds(): (string | null)[] {
    return this.slots.map((s) => s ?? null);
  }

  ruleAt(slot: number): CompiledRule | undefined {
    const id = this.slots[slot];
    return id === undefined ? undefined : this.compiled.get(id);
  }

  /** Recompiles every rule, e.g. after a geofence changed. */
  recompileAll(): void {
    for (const entry of this.entries.values()) {
      const definition = entry.definition;
      this.compiled.set(
        entry.id,
        compileRule(definition, {
          slot: entry.slot,
          version: entry.version,
          defaults: this.defaults,
          geofences: this.deps.geofences,
          signals: this.deps.signals,
          state: this.deps.state,
          segmentCode: (name) => this.segmentCode(name),
        }),
      );
    }
    this.rebuild();
  }

  segmentCode(name: string): number {
    let code = this.segmentCodes.get(name);
    if (code === undefined) {
      code = this.segmentCodes.size + 1;
      this.segmentCodes.set(name, code);
    }
    return code;
  }

  private freeSlot(id: string): number {
    const free = this.slots.indexOf(undefined);
    const slot = free >= 0 ? free : this.slots.length;
    if (slot >= MAX_RULE_SLOTS)
      throw new AppError('RULE_INVALID', `cannot add rule ${id}: at most ${MAX_RULE_SLOTS} rules`);
    return slot;
  }

  private require(id: string): RuleEntry {
    const entry = this.entries.get(id);
    if (!entry)
      throw new AppError('NOT_FOUND', `no rule "${id}"`, { hint: 'list the rules with GET /api/stream/rules' });
    return entry;
  }

  private rebuild(): void {
    const index: RuleIndex = { enter: [], inside: [], leave: [], anywhere: [], rewarded: [] };
    for (const entry of this.entries.values()) {
      const rule = this.compiled.get(entry.id)!;
      // A paused rule makes no new offers, but the offers it made still earn their rewards.
      if (rule.reward) index.rewarded.push(rule);
      if (entry.paused) continue;
      if (rule.on === 'anywhere') {
        index.anywhere.push(rule);
        continue;
      }
      const table = index[rule.on];
      for (const fence of rule.fences) {
        table[fence] ??= [];
        table[fence].push(rule);
      }
    }
    this.index = index;
  }
}
