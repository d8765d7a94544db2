// Rule edits from the API: applied to the running engine when there is one, and always to the rule
// store with a line in the change history, so that the next start sees them with the same version.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';
import type { FactsSource } from '../facts/facts-source.ts';
import type { StreamSession } from '../stream-session.ts';
import { describeProblems, validateRule } from './parse-rules.ts';
import type { RuleEntry } from './rule-set.ts';
import type { RuleDefinition } from './rule-schema.ts';
import { loadRuleReferences } from './rule-references.ts';
import { withPathId } from './with-path-id.ts';
import { deleteRule, latestRuleVersion, loadStoredRules, recordRuleChange, saveRule } from './rule-store.ts';

export interface RuleView {
  id: string;
  version: number;
  paused: boolean;
  /** The rule as validated (stored rules were validated before they were stored). */
  definition: RuleDefinition;
}

/** The answer of GET /api/stream/rules. */
export interface RuleList {
  rules: RuleView[];
}

export function manageRules(deps: {
  warehouse: Warehouse;
  /** Where the cells and services a rule names are checked (default: the file). */
  facts?: FactsSource;
  clock: Clock;
  live: () => StreamSession | undefined;
}) {
  const nowIso = () => sqlTimestamp(deps.clock.now());
  const view = (e: RuleEntry): RuleView => ({
    id: e.id,
    version: e.version,
    paused: e.paused,
    definition: e.definition,
  });

  async function stored(warehouse = deps.warehouse): Promise<RuleView[]> {
    const rows = await warehouse.all<{ rule_id: string; version: number; paused: boolean; definition: string }>(
      'SELECT rule_id, version, paused, definition FROM stream_rules ORDER BY rule_id',
    );
    return rows.map((r) => ({
      id: r.rule_id,
      version: Number(r.version),
      paused: r.paused,
      definition: JSON.parse(r.definition) as RuleDefinition,
    }));
  }

  return {
    async list(): Promise<RuleView[]> {
      const live = deps.live();
      return live ? live.engine.rules.list().map(view) : stored();
    },

    async put(id: string, body: unknown): Promise<RuleView> {
      const raw = withPathId(id, body, 'rule');
      const live = deps.live();
      const geofences = live
        ? live.engine.geofences.all().map((g) => g.id)
        : (await loadStoredRules(deps.warehouse)).geofences.map((g) => g.id);
      const result = validateRule(
        raw,
        geofences,
        await loadRuleReferences(deps.facts ?? deps.warehouse, live?.engine.cells),
      );
      if ('problems' in result)
        throw new AppError('RULE_INVALID', describeProblems(result.problems), { location: { path: `rule ${id}` } });
      // Read, bump the version and save as one queued write: concurrent edits never share a transaction
      // or lose a version, and the running engine sees them in the order they are stored. The version goes
      // above every one the rule ever had, so a rule put back after a delete does not reuse one.
      const entry = await deps.warehouse.write(async (tx) => {
        const version = Math.max(await latestRuleVersion(tx, id), live?.engine.rules.get(id)?.version ?? 0) + 1;
        const entry: RuleEntry = live
          ? live.engine.rules.upsert(result.rule, version)
          : { id, version, paused: result.rule.paused, slot: -1, definition: result.rule };
        await saveRule(tx, entry, nowIso());
        await recordRuleChange(tx, { entry, action: 'put', source: 'api' }, nowIso());
        return entry;
      });
      return view(entry);
    },

    async setPaused(id: string, paused: boolean): Promise<RuleView> {
      const live = deps.live();
      const entry = await deps.warehouse.write(async (tx) => {
        let entry: RuleEntry;
        if (live) entry = live.engine.rules.setPaused(id, paused);
        else {
          const previous = (await stored(tx)).find((r) => r.id === id);
          if (!previous) throw new AppError('NOT_FOUND', `no rule "${id}"`);
          entry = {
            id,
            version: previous.version,
            paused,
            slot: -1,
            definition: { ...(previous.definition as RuleEntry['definition']), paused },
          };
        }
        await saveRule(tx, entry, nowIso());
        await recordRuleChange(tx, { entry, action: paused ? 'pause' : 'resume', source: 'api' }, nowIso());
        return entry;
      });
      return view(entry);
    },

    /** Removes a rule and answers it as it was, so that the caller can offer to put it back. */
    async remove(id: string): Promise<RuleView> {
      const live = deps.live();
      const removed = await deps.warehouse.write(async (tx) => {
        const entry = live ? live.engine.rules.get(id) : await storedEntry(tx, id);
        if (!entry)
          throw new AppError('NOT_FOUND', `no rule "${id}"`, { hint: 'list the rules with GET /api/stream/rules' });
        if (live) live.engine.rules.remove(id);
        await deleteRule(tx, id);
        await recordRuleChange(tx, { entry, action: 'delete', source: 'api' }, nowIso());
        return view(entry);
      });
      return removed;
    },
  };

  async function storedEntry(warehouse: Warehouse, id: string): Promise<RuleEntry | undefined> {
    const found = (await stored(warehouse)).find((r) => r.id === id);
    return found && { ...found, slot: -1, definition: found.definition as RuleEntry['definition'] };
  }
}
