// The rewards the triggers granted: listed for the page and exported for BOSS to fulfil. The export
// file's layout is fixed (docs/stream.md, "Rewards"): a header row, UTF-8, one reward a line,
//   reward_id,msisdn,reward_type,amount_yuan,description,rule_id,reached_at,granted_at
// reward_type is CREDIT (call credit of amount_yuan, two decimals) or GIFT (amount_yuan 0.00); times are
// local time YYYY-MM-DD HH:MM:SS. Exporting marks the rows `exported` with the batch id, so the next
// export holds only new rewards; BOSS's answer (fulfilled) is recorded with markRewardsFulfilled.
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { type SqlParam, sqlTimestamp, type Warehouse } from '../../warehouse/index.ts';

export const rewardStatuses = ['pending', 'exported', 'fulfilled'] as const;
export type RewardStatus = (typeof rewardStatuses)[number];

export const bossRewardColumns = [
  'reward_id',
  'msisdn',
  'reward_type',
  'amount_yuan',
  'description',
  'rule_id',
  'reached_at',
  'granted_at',
] as const;

export type RewardRow = {
  reward_id: string;
  rule_id: string;
  msisdn: string;
  kind: string;
  amount: number;
  description: string;
  behaviour: string;
  count: number;
  offered_at: string;
  reached_at: string;
  granted_at: string;
  status: string;
  export_batch: string | null;
};

/** Rewards of one rule in one status, for the totals table. */
export type RewardTotal = { rule_id: string; status: string; rewards: number; amount_yuan: number };

/** The answer of GET /api/stream/rewards (the route passes it through; the rewards page reads it). */
export interface RewardsList {
  rewards: RewardRow[];
  byRule: RewardTotal[];
}

function checkStatus(status: string | undefined): void {
  if (status !== undefined && !(rewardStatuses as readonly string[]).includes(status)) {
    throw new AppError('INPUT_INVALID', `unknown reward status "${status}"`, {
      location: { field: 'status' },
      hint: `statuses: ${rewardStatuses.join(', ')}`,
    });
  }
}

const rowSelect = `SELECT reward_id, rule_id, msisdn, kind, CAST(amount AS DOUBLE) AS amount, description, behaviour, count,
    strftime(offered_at, '%Y-%m-%d %H:%M:%S') AS offered_at, strftime(reached_at, '%Y-%m-%d %H:%M:%S') AS reached_at,
    strftime(granted_at, '%Y-%m-%d %H:%M:%S') AS granted_at, status, export_batch
  FROM stream_rewards`;

export async function listRewards(
  warehouse: Warehouse,
  options: { status?: string; rule?: string; limit?: number } = {},
): Promise<RewardsList> {
  checkStatus(options.status);
  const params: SqlParam[] = [];
  let where = 'WHERE TRUE';
  if (options.status) {
    where += ' AND status = ?';
    params.push(options.status);
  }
  if (options.rule) {
    where += ' AND rule_id = ?';
    params.push(options.rule);
  }
  const rewards = await warehouse.all<RewardRow>(`${rowSelect} ${where} ORDER BY reached_at DESC, reward_id LIMIT ?`, [
    ...params,
    options.limit ?? 500,
  ]);
  const byRule = await warehouse.all<RewardTotal>(
    `SELECT rule_id, status, count(*) AS rewards, CAST(sum(amount) AS DOUBLE) AS amount_yuan
     FROM stream_rewards ${where} GROUP BY ALL ORDER BY rule_id, status`,
    params,
  );
  return { rewards, byRule };
}

export interface RewardExport {
  batch: string;
  rows: number;
  amountYuan: number;
  csv: string;
}

/**
 * The rewards of a status (pending by default) as the BOSS file; with `mark`, in one write they
 * become `exported` under the batch id (the moment of the export), so each reward goes to BOSS once.
 */
export async function exportRewards(
  warehouse: Warehouse,
  options: { clock: Clock; status?: string; mark: boolean },
): Promise<RewardExport> {
  const status = options.status ?? 'pending';
  checkStatus(status);
  const now = options.clock.now();
  const batch = `rewards-${sqlTimestamp(now)
    .replace(/[^0-9]/g, '')
    .slice(0, 14)}`;
  const work = async (tx: Warehouse) => {
    const rows = await tx.all<RewardRow>(`${rowSelect} WHERE status = ? ORDER BY reached_at, reward_id`, [status]);
    if (options.mark && rows.length > 0) {
      await tx.run(
        `UPDATE stream_rewards SET status = 'exported', exported_at = CAST(? AS TIMESTAMP), export_batch = ?
         WHERE status = ? AND reward_id IN (SELECT unnest(string_split(?, '\u0001')))`,
        [sqlTimestamp(now), batch, status, rows.map((r) => r.reward_id).join('\u0001')],
      );
    }
    return rows;
  };
  const rows = options.mark ? await warehouse.write(work) : await work(warehouse);
  return {
    batch,
    rows: rows.length,
    amountYuan: rows.reduce((t, r) => t + Number(r.amount), 0),
    csv: bossRewardCsv(rows),
  };
}

export function bossRewardCsv(rows: readonly RewardRow[]): string {
  const lines = [bossRewardColumns.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.reward_id,
        r.msisdn,
        r.kind === 'credit' ? 'CREDIT' : 'GIFT',
        Number(r.amount).toFixed(2),
        r.description,
        r.rule_id,
        r.reached_at,
        r.granted_at,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Records BOSS's confirmation: these rewards were fulfilled. Returns how many changed. */
export async function markRewardsFulfilled(warehouse: Warehouse, rewardIds: readonly string[]): Promise<number> {
  if (rewardIds.length === 0) return 0;
  return warehouse.write(async (tx) => {
    const before = await tx.scalar(`SELECT count(*) FROM stream_rewards WHERE status = 'fulfilled'`);
    await tx.run(
      `UPDATE stream_rewards SET status = 'fulfilled' WHERE reward_id IN (SELECT unnest(string_split(?, '\u0001')))`,
      [rewardIds.join('\u0001')],
    );
    return (await tx.scalar(`SELECT count(*) FROM stream_rewards WHERE status = 'fulfilled'`)) - before;
  });
}
