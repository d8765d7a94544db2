// Wires a stream run: warehouse tables, cells, rules, profiles, snapshot, outbox and source. The CLI
// (`telmark stream`) and the API use it; both stay thin.
import { existsSync } from 'node:fs';
import { queueMessages } from '../channels/index.ts';
import { type ChannelsConfig, defaultConfig } from '../config/config.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { ClickHouseWarehouse } from '../warehouse/clickhouse/index.ts';
import { sqlTimestamp, type Warehouse } from '../warehouse/index.ts';
import { type Anomaly, appendAnomalies, type LiveCountOptions } from '../anomalies/index.ts';
import type { Decision } from './engine/decision.ts';
import type { Reward } from './engine/reward.ts';
import { LiveAreaWatch } from './engine/live-area-watch.ts';
import { createEventGate } from './engine/event-gate.ts';
import { type RunStreamSummary, runStream } from './engine/run-stream.ts';
import { TriggerEngine } from './engine/trigger-engine.ts';
import { createEventLineParser } from './events/parse-event-line.ts';
import { type CellDirectory, readCellsCsv } from './geofences/cell-directory.ts';
import { readWarehouseCells } from './geofences/warehouse-cells.ts';
import type { FactsSource } from './facts/facts-source.ts';
import { createResponseSimulator, type Propensity } from './effect/response-simulator.ts';
import { ResponseWriter } from './effect/response-writer.ts';
import { OutboxWriter } from './outbox/outbox-writer.ts';
import { RewardWriter } from './rewards/reward-writer.ts';
import { applyRuleFile } from './rules/apply-rule-file.ts';
import { readRuleFile } from './rules/parse-rules.ts';
import { loadRuleReferences, referencesOfCells } from './rules/rule-references.ts';
import { restoreRules } from './rules/restore-rules.ts';
import { type PartitionedSourceOptions, partitionedNatsSource } from './partitions/partitioned-source.ts';
import { openSource } from './sources/open-source.ts';
import type { StreamSource } from './sources/stream-source.ts';
import { readSnapshot } from './state/engine-snapshot.ts';
import { withAreaReports } from './live/with-area-reports.ts';
import { loadClusterModelResults } from './state/load-cluster-model-results.ts';
import { loadClusterProfiles } from './state/load-cluster-profiles.ts';
import {
  loadOptOuts,
  loadProfileCsv,
  loadStoredModelResults,
  loadWarehouseProfiles,
  profileCsvScoreModels,
  refreshOptOuts,
} from './state/load-profiles.ts';

export interface StreamSessionOptions {
  /** A source spec (file, -, tcp://, nats://HOST/SUBJECT) or a worker's share of the partitioned stream. */
  source: string | { partitioned: Omit<PartitionedSourceOptions, 'clock' | 'note'> };
  /** Wall time: stamps decisions, paces flushes and snapshots. */
  clock: Clock;
  /**
   * The stream's clock that event times are checked against (default `clock`); a paced replay of
   * recorded days passes a clock that runs at the replay's position (replay/replay-clock.ts).
   */
  streamClock?: Clock;
  /** Config `stream.maxSkewSec`: events further than this from the stream's clock are rejected; 0 = off. */
  maxSkewSec?: number;
  /** Config `stream.utcOffsetMinutes`: the operator's local time, in which event times are written. */
  utcOffsetMinutes?: number;
  /** The operational store: rules, geofences, decisions, the outbox, rewards, opt-outs (and the facts without `facts`). */
  warehouse?: Warehouse;
  /**
   * The facts on a ClickHouse cluster (cells, services, subscribers' brands, model results); the
   * `warehouse` file then keeps only the state. A worker reads only its own subscribers' rows.
   */
  facts?: ClickHouseWarehouse;
  rulesFile?: string;
  cellsFile?: string;
  profilesFile?: string;
  snapshotPath?: string;
  /** How often the state is snapshotted (default 5 s); a partitioned source acknowledges at each snapshot. */
  snapshotEveryMs?: number;
  follow?: boolean;
  expectedSubscribers?: number;
  maxLines?: number;
  onDecision?: (decision: Decision) => void;
  onReward?: (reward: Reward) => void;
  /** Demo: simulate orders after triggers (and base-rate orders of controls) with this propensity. */
  simulateResponses?: Propensity;
  onBatch?: (engine: TriggerEngine) => void;
  note?: (text: string) => void;
  /** The contact policy and channels; decisions to send go into the one outbox (src/channels) under it. */
  channels?: ChannelsConfig;
  /**
   * Per-area live counts judged for sudden drops and jumps at every interval of stream time (default
   * 300 s); the anomalies go to the warehouse's anomalies table, where alert routing finds them. false: off.
   */
  liveAnomalies?: false | { intervalSec: number; detector?: Partial<LiveCountOptions> };
  /**
   * A worker of the partitioned stream sends its live area counts on NATS this often, for the merged
   * live page (src/stream/live/); undefined: not sent.
   */
  areaReports?: { intervalMs: number; windowSec?: number };
}

export interface StreamSession {
  engine: TriggerEngine;
  source: StreamSource;
  run(): Promise<RunStreamSummary>;
  stop(): Promise<void>;
}

export async function openStreamSession(options: StreamSessionOptions): Promise<StreamSession> {
  const note = options.note ?? (() => undefined);
  const utcOffsetMinutes = options.utcOffsetMinutes ?? defaultConfig.stream.utcOffsetMinutes;
  const warehouse = options.warehouse;
  const facts = options.facts;
  if (facts && !warehouse)
    throw new AppError('USAGE', 'a stream on a ClickHouse warehouse needs the --db file for its decisions and outbox');
  if (facts && options.simulateResponses)
    throw new AppError('WAREHOUSE_UNSUPPORTED', '--simulate-responses writes demo orders into the DuckDB file', {
      hint: 'a demo runs on the DuckDB warehouse: leave --warehouse out',
    });
  const cells = await loadCells(options.cellsFile, facts ?? warehouse);
  const outbox = warehouse
    ? new OutboxWriter(warehouse, (written) =>
        queueDecisions(warehouse, written, options.channels ?? defaultConfig.channels, options.clock),
      )
    : undefined;
  const rewards = warehouse ? new RewardWriter(warehouse) : undefined;
  const responses = warehouse && options.simulateResponses ? new ResponseWriter(warehouse) : undefined;
  const live = options.liveAnomalies ?? { intervalSec: 300 };
  const liveWatch =
    warehouse && live
      ? new LiveAreaWatch({ intervalSec: live.intervalSec, utcOffsetMinutes, detector: live.detector })
      : undefined;
  const liveFound: Anomaly[] = [];
  let simulate: ReturnType<typeof createResponseSimulator> | undefined;
  const engine: TriggerEngine = new TriggerEngine({
    cells,
    clock: options.clock,
    expectedSubscribers: options.expectedSubscribers,
    onDecision: (decision) => {
      outbox?.add(decision);
      const response = simulate?.(decision);
      if (response) responses?.add(response);
      options.onDecision?.(decision);
    },
    onReward: (reward) => {
      rewards?.add(reward);
      options.onReward?.(reward);
    },
  });
  const nowIso = () => sqlTimestamp(options.clock.now());
  if (options.rulesFile) {
    // The file's cells, counties, regions and services are checked against what this stream knows.
    const references =
      (facts ?? warehouse) ? await loadRuleReferences(facts ?? warehouse!, cells) : referencesOfCells(cells);
    const file = readRuleFile(options.rulesFile, references);
    if (warehouse) await restoreRules(engine, { warehouse, file, nowIso: nowIso() });
    else applyRuleFile(engine, file);
  } else if (warehouse) await restoreRules(engine, { warehouse, nowIso: nowIso() });
  if (options.simulateResponses)
    simulate = createResponseSimulator({
      propensity: options.simulateResponses,
      windowOf: (ruleId) => engine.rules.get(ruleId)?.definition.response_window ?? 3 * 86400,
    });
  if (engine.rules.list().length === 0) note('no trigger rules: give --rules FILE (see examples/rules/heyuan.yaml)');
  if (options.snapshotPath && existsSync(options.snapshotPath)) {
    const restored = readSnapshot(engine, options.snapshotPath);
    note(
      engine.lanes.size > 0
        ? `restored ${restored.subscribers} subscribers from ${options.snapshotPath}, resuming ${engine.lanes.size} partitions where it left them`
        : `restored ${restored.subscribers} subscribers from ${options.snapshotPath}, resuming after position ${restored.position}`,
    );
  }
  const share =
    typeof options.source === 'string'
      ? undefined
      : { partitions: options.source.partitioned.partitions, worker: options.source.partitioned.worker };
  if (warehouse && facts) {
    const profiles = await loadClusterProfiles(facts, engine, { share });
    await loadOptOuts(warehouse, engine);
    const stored = await loadClusterModelResults(facts, warehouse, engine, {
      share,
      fromProfiles: options.profilesFile ? profileCsvScoreModels(options.profilesFile) : undefined,
    });
    note(
      `from the ClickHouse warehouse: ${profiles.subscribers} subscribers of this worker, ${stored.churn} churn scores, ${stored.propensity} propensity scores, ${stored.segments} segment members`,
    );
  } else if (warehouse) {
    await loadWarehouseProfiles(warehouse, engine);
    const stored = await loadStoredModelResults(warehouse, engine);
    if (stored.churn + stored.propensity + stored.segments > 0)
      note(
        `model results: ${stored.churn} churn scores, ${stored.propensity} propensity scores, ${stored.segments} segment members`,
      );
  }
  let optOutsKnown = warehouse ? await warehouse.scalar('SELECT count(*) FROM channel_opt_outs') : 0;
  if (options.profilesFile) loadProfileCsv(options.profilesFile, engine);
  const source =
    typeof options.source === 'string'
      ? openSource(options.source, { clock: options.clock, follow: options.follow })
      : partitionedNatsSource({ ...options.source.partitioned, clock: options.clock, note });
  note(`stream: ${source.description}, ${engine.rules.list().length} rules, ${cells.size} cells`);
  const session: StreamSession = {
    engine,
    source,
    run: () =>
      runStream({
        engine,
        source,
        clock: options.clock,
        outbox: outbox && {
          flush: async () => {
            await outbox.flush();
            await rewards?.flush();
            await responses?.flush();
            if (warehouse && liveFound.length > 0) await appendAnomalies(warehouse, liveFound.splice(0), options.clock);
            if (warehouse) optOutsKnown = await refreshOptOuts(warehouse, engine, optOutsKnown);
          },
        },
        snapshotPath: options.snapshotPath,
        snapshotEveryMs: options.snapshotEveryMs,
        maxLines: options.maxLines,
        parser: createEventLineParser({ reuse: true, utcOffsetMinutes }),
        gate: createEventGate({
          cells: engine.cells,
          clock: options.streamClock ?? options.clock,
          maxSkewSec: options.maxSkewSec ?? defaultConfig.stream.maxSkewSec,
          utcOffsetMinutes,
        }),
        onBatch: () => {
          if (liveWatch) liveFound.push(...liveWatch.check(engine));
          options.onBatch?.(engine);
        },
      }),
    stop: () => source.close(),
  };
  if (!options.areaReports || typeof options.source === 'string' || !warehouse) return session;
  const { servers, worker } = options.source.partitioned;
  return withAreaReports(session, { ...options.areaReports, servers, worker, warehouse, note });
}

/** Decisions to send become messages of the one outbox (source `trigger`); the decision id is the message id. */
async function queueDecisions(
  warehouse: Warehouse,
  decisions: readonly Decision[],
  channels: ChannelsConfig,
  clock: Clock,
) {
  const toSend = decisions.filter((d) => d.status === 'pending');
  const byRule = new Map<string, Decision[]>();
  for (const d of toSend) byRule.set(d.ruleId, [...(byRule.get(d.ruleId) ?? []), d]);
  for (const [ruleId, list] of byRule)
    await queueMessages(
      warehouse,
      {
        source: 'trigger',
        sourceRef: ruleId,
        messages: list.map((d) => ({
          id: d.decisionId,
          recipient: d.msisdn,
          text: d.message,
          area: d.area,
          serviceId: d.serviceId,
        })),
      },
      { config: channels, clock },
    );
}

async function loadCells(file: string | undefined, warehouse: FactsSource | undefined): Promise<CellDirectory> {
  if (file) return readCellsCsv(file);
  const cells = warehouse ? await readWarehouseCells(warehouse) : undefined;
  if (cells && cells.size > 0) return cells;
  throw new AppError('USAGE', 'no cells: load the cells feed into the warehouse or give --cells cells.csv');
}
